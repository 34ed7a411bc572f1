import { Link } from "react-router";
import { contentTypeLabel, day, statusLabel, words } from "../ui/format";
import type { Story } from "./queries";
import "./dashboard.css";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** lastChange says how long ago a story changed: "5 minutes ago", "yesterday", then the date. */
export function lastChange(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "";
  const minutes = Math.round((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return relative.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, "hour");
  const days = Math.round(hours / 24);
  if (days < 7) return relative.format(-days, "day");
  return `on ${day(iso)}`;
}

const roleLabel: Record<Exclude<Story["role"], "owner">, string> = {
  editor: "Shared with you · Editor",
  viewer: "Shared with you · Viewer",
};

/** StoryCard is one story on the dashboard: what it is, how far along, how long, when it last changed. */
export function StoryCard({ story }: { story: Story }) {
  return (
    <li className="story-card">
      {story.role !== "owner" && <p className="story-card__role">{roleLabel[story.role]}</p>}
      <h3 className="story-card__title">
        <Link to={`/stories/${story.id}`}>{story.title}</Link>
      </h3>
      <p className="story-card__kind">
        {contentTypeLabel[story.content_type]}
        {story.genre && <> · {story.genre}</>}
      </p>
      {story.description && <p className="story-card__premise">{story.description}</p>}
      <dl className="story-card__facts">
        <div>
          <dt className="visually-hidden">Status</dt>
          <dd>
            <span className={`badge badge--${story.status}`}>{statusLabel[story.status]}</span>
          </dd>
        </div>
        <div>
          <dt className="visually-hidden">Length</dt>
          <dd>{words(story.word_count)}</dd>
        </div>
        <div>
          <dt className="visually-hidden">Last changed</dt>
          <dd>
            Changed <time dateTime={story.updated_at} title={day(story.updated_at)}>{lastChange(story.updated_at)}</time>
          </dd>
        </div>
      </dl>
    </li>
  );
}
