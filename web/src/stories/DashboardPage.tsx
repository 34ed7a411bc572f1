import type { ReactNode } from "react";
import { Link } from "react-router";
import { messageOf } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { StoryCard } from "./StoryCard";
import { useStories, type Story } from "./queries";

function StoryList({ title, stories, empty }: { title: string; stories: Story[]; empty: ReactNode }) {
  const id = title.toLowerCase().replace(/\W+/g, "-");
  return (
    <section aria-labelledby={id} className="story-section">
      <h2 id={id}>{title}</h2>
      {stories.length === 0 ? <div className="empty">{empty}</div> : <ul className="story-grid">{stories.map((s) => <StoryCard key={s.id} story={s} />)}</ul>}
    </section>
  );
}

/** DashboardPage lists the writer's own stories and those shared with them. */
export function DashboardPage() {
  const { user } = useAuth();
  const stories = useStories();
  const all = stories.data?.pages.flatMap((p) => p.items) ?? [];
  const mine = all.filter((s) => s.role === "owner");
  const shared = all.filter((s) => s.role !== "owner");

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your stories</h1>
          {user && <p className="page-header__lede">Welcome back, {user.display_name || user.username}.</p>}
        </div>
        <Link to="/stories/new" className="button button--primary">
          New story
        </Link>
      </div>
      {stories.isPending ? (
        <p role="status">Loading your stories…</p>
      ) : stories.isError ? (
        <div className="form-error" role="alert">
          {messageOf(stories.error)}{" "}
          <button type="button" className="button button--quiet" onClick={() => void stories.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <StoryList
            title="My stories"
            stories={mine}
            empty={
              <>
                <p>No stories yet. Start a novel, a screenplay, a stage play or a graphic novel — or bring in one you've already written.</p>
                <div className="empty-start">
                  <Link to="/stories/new" className="button button--primary">
                    New story
                  </Link>
                  <Link to="/import" className="button">
                    Import a manuscript
                  </Link>
                </div>
              </>
            }
          />
          <StoryList title="Shared with me" stories={shared} empty={<p>When someone invites you to a story, it appears here.</p>} />
          {stories.hasNextPage && (
            <div className="load-more">
              <button type="button" className="button" disabled={stories.isFetchingNextPage} onClick={() => void stories.fetchNextPage()}>
                {stories.isFetchingNextPage ? "Loading…" : "Show more stories"}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}
