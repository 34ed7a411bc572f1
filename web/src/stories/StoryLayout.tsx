import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router";
import { ApiError, messageOf } from "../api/errors";
import { FormError } from "../ui/FormError";
import { Notice } from "../ui/Notice";
import { contentTypeLabel, statusLabel, words } from "../ui/format";
import { useStory, type Story } from "./queries";

/** useStoryOutlet gives a story tab the story the layout loaded. */
export function useStoryOutlet(): Story {
  return useOutletContext<Story>();
}

/** canWrite tells whether the signed-in writer may change the story's text and bible. */
export function canWrite(story: { role: string }): boolean {
  return story.role === "owner" || story.role === "editor";
}

/** StoryLayout is a story's workspace frame: its header and tabs; each tab renders below. */
export function StoryLayout() {
  const { storyId = "" } = useParams();
  const story = useStory(storyId);
  if (story.isPending) return <p role="status">Loading the story…</p>;
  if (story.isError) {
    if (story.error instanceof ApiError && (story.error.status === 404 || story.error.field === "id")) {
      return (
        <Notice>
          We could not find that story. It may have been moved to the trash, or you may not have access to it.{" "}
          <Link to="/">Back to your stories</Link>
        </Notice>
      );
    }
    return <FormError message={messageOf(story.error)} />;
  }
  const s = story.data;
  const base = `/stories/${s.id}`;
  const writer = canWrite(s);
  const tabs: [string, string, boolean][] = [
    ["Manuscript", base, true],
    ["Story bible", `${base}/bible`, s.role !== "reader"],
    ["Draft with AI", `${base}/pipeline`, writer],
    ["AI history", `${base}/history`, s.role !== "reader"],
    ["Collaborators", `${base}/collaborators`, s.role !== "reader"],
    ["Export", `${base}/export`, s.role !== "reader"],
    ["Publish", `${base}/publish`, s.role === "owner"],
  ];
  return (
    <article className="story">
      <p className="crumbs">
        <Link to="/">Stories</Link> / {s.title}
      </p>
      <header className="story__header">
        <h1>{s.title}</h1>
        {s.subtitle && <p className="story__subtitle">{s.subtitle}</p>}
        <p className="story__meta">
          {contentTypeLabel[s.content_type]}
          {s.genre && <> · {s.genre}</>} ·{" "}
          {s.role === "reader" ? "Published" : <span className={`badge badge--${s.status}`}>{statusLabel[s.status]}</span>} ·{" "}
          {words(s.word_count)}
        </p>
      </header>
      <nav aria-label="Story" className="story-tabs">
        {tabs
          .filter(([, , shown]) => shown)
          .map(([label, to]) => (
            <NavLink key={to} to={to} end>
              {label}
            </NavLink>
          ))}
      </nav>
      <Outlet context={s} />
    </article>
  );
}
