import { Link } from "react-router";
import { contentTypeLabel, day, statusLabel, words } from "../ui/format";
import type { Story } from "./queries";

/** StoryCard is one story on the dashboard. */
export function StoryCard({ story }: { story: Story }) {
  return (
    <li className="story-card">
      <h3 className="story-card__title">
        <Link to={`/stories/${story.id}`}>{story.title}</Link>
      </h3>
      <p className="story-card__kind">
        {contentTypeLabel[story.content_type]}
        {story.genre && <> · {story.genre}</>}
        {story.role !== "owner" && <> · you are {story.role === "editor" ? "an editor" : "a viewer"}</>}
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
          <dd>Updated {day(story.updated_at)}</dd>
        </div>
      </dl>
    </li>
  );
}
