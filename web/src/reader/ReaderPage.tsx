import { useEffect, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { messageOf } from "../api/errors";
import { DocView } from "../editor/DocView";
import type { Doc } from "../editor/document";
import type { ChapterSummary } from "../stories/queries";
import { words } from "../ui/format";
import { isNotFound, useAuthorName, useReaderChapter, useReaderChapters, useReaderStory, type ReaderStory } from "./queries";
import "./reader.css";

function chapterName(c: Pick<ChapterSummary, "title" | "chapter_number">): string {
  return c.title.trim() || `Chapter ${c.chapter_number}`;
}

/** ReaderFrame is the reading page's own quiet frame, outside the writer's workspace. */
function ReaderFrame({ children, storyLink }: { children: ReactNode; storyLink?: { to: string; title: string } | undefined }) {
  return (
    <div className="reader">
      <a className="skip-link" href="#reader-main">
        Skip to the text
      </a>
      <header className="reader__bar">
        <a href="/" className="reader__brand">
          AuthorWorks
        </a>
        {storyLink && (
          <Link to={storyLink.to} className="reader__bar-story">
            {storyLink.title}
          </Link>
        )}
      </header>
      <main id="reader-main" className="reader__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function Message({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="reader__message">
      <h1>{title}</h1>
      {children}
    </div>
  );
}

/** ReaderPage is the public, signed-out view of a published story. */
export function ReaderPage() {
  const { storyId = "", chapterNumber } = useParams();
  const story = useReaderStory(storyId);
  const chapters = useReaderChapters(storyId, story.isSuccess);
  const number = chapterNumber === undefined ? undefined : Number.parseInt(chapterNumber, 10);
  const index = number === undefined || !chapters.data ? -1 : chapters.data.findIndex((c) => c.chapter_number === number);
  const current = index >= 0 ? chapters.data?.[index] : undefined;
  const chapter = useReaderChapter(current?.id);
  const author = useAuthorName(story.data?.owner_id);

  const title = story.data
    ? current
      ? `${chapterName(current)} · ${story.data.title}`
      : story.data.title
    : story.isError && isNotFound(story.error)
      ? "Story not published"
      : "Reading";
  useEffect(() => {
    document.title = `${title} · AuthorWorks`;
  }, [title]);

  // A new chapter starts at its top, with focus on the page so the keyboard reads on.
  useEffect(() => {
    if (number === undefined) return;
    window.scrollTo(0, 0);
    document.getElementById("reader-main")?.focus({ preventScroll: true });
  }, [number]);

  if (story.isPending) {
    return (
      <ReaderFrame>
        <p role="status" className="reader__loading">
          Opening the story…
        </p>
      </ReaderFrame>
    );
  }
  if (story.isError) {
    return (
      <ReaderFrame>
        {isNotFound(story.error) ? (
          <Message title="This story is not published">
            <p>
              There is no published story at this address. The author may not have published it yet, or may have taken it down. If
              someone shared this link with you, check that it is complete.
            </p>
            <p>
              <a href="/">Go to AuthorWorks</a>
            </p>
          </Message>
        ) : (
          <Message title="The story could not be opened">
            <p role="alert">{messageOf(story.error)}</p>
            <button type="button" className="button" onClick={() => void story.refetch()}>
              Try again
            </button>
          </Message>
        )}
      </ReaderFrame>
    );
  }

  const s = story.data;
  const base = `/read/${s.id}`;
  const preview = s.role !== "reader" && "status" in s && (s.status !== "published" || s.visibility === "private");
  const list = chapters.data ?? [];
  return (
    <ReaderFrame storyLink={number !== undefined ? { to: base, title: s.title } : undefined}>
      {preview && (
        <p className="reader__preview" role="note">
          {"status" in s && s.status !== "published"
            ? "Preview: this story is not published, so readers who open this link are told so. Only completed chapters are shown here, as readers would see them."
            : "Preview: this story is published but private, so only you and your collaborators can read it."}
        </p>
      )}
      {number === undefined ? (
        <TitlePage story={s} author={author.data} chapters={list} chaptersPending={chapters.isPending} chaptersError={chapters.error} />
      ) : chapters.isPending ? (
        <p role="status" className="reader__loading">
          Opening the chapter…
        </p>
      ) : chapters.isError ? (
        <Message title="The chapter could not be opened">
          <p role="alert">{messageOf(chapters.error)}</p>
        </Message>
      ) : !current ? (
        <Message title="This chapter is not available">
          <p>It may not be finished yet. The chapters you can read are in the contents.</p>
          <p>
            <Link to={base}>Contents of {s.title}</Link>
          </p>
        </Message>
      ) : (
        <article className="reader__chapter" aria-labelledby="reader-chapter-title">
          <header className="reader__chapter-head">
            <p className="reader__kicker">{s.title}</p>
            <h1 id="reader-chapter-title">{chapterName(current)}</h1>
          </header>
          {chapter.isPending ? (
            <p role="status" className="reader__loading">
              Opening the chapter…
            </p>
          ) : chapter.isError ? (
            <p role="alert" className="field__error">
              {messageOf(chapter.error)}
            </p>
          ) : (
            <div className={`reader__text${s.content_type === "screenplay" || s.content_type === "play" ? " reader__text--script" : ""}`}>
              <DocView doc={chapter.data.content as Doc} />
            </div>
          )}
          <ChapterNav base={base} prev={list[index - 1]} next={list[index + 1]} />
        </article>
      )}
    </ReaderFrame>
  );
}

function TitlePage({
  story,
  author,
  chapters,
  chaptersPending,
  chaptersError,
}: {
  story: ReaderStory;
  author: string | undefined;
  chapters: ChapterSummary[];
  chaptersPending: boolean;
  chaptersError: Error | null;
}) {
  const base = `/read/${story.id}`;
  const first = chapters[0];
  return (
    <article className="reader__title-page" aria-labelledby="reader-title">
      <header className="reader__title-head">
        {story.cover_file_id && <Cover fileId={story.cover_file_id} title={story.title} />}
        {story.genre && <p className="reader__kicker">{story.genre}</p>}
        <h1 id="reader-title">{story.title}</h1>
        {story.subtitle && <p className="reader__subtitle">{story.subtitle}</p>}
        {author && <p className="reader__author">by {author}</p>}
      </header>
      {story.description && (
        <div className="reader__description">
          {story.description.split(/\n{2,}/).map((para, i) => (
            <p key={i}>{para}</p>
          ))}
        </div>
      )}
      <nav className="reader__toc" aria-labelledby="reader-toc-heading">
        <h2 id="reader-toc-heading">Contents</h2>
        {chaptersPending ? (
          <p role="status">Loading the chapters…</p>
        ) : chaptersError ? (
          <p role="alert" className="field__error">
            {messageOf(chaptersError)}
          </p>
        ) : chapters.length === 0 ? (
          <p className="reader__empty">No chapters are published yet. Come back soon.</p>
        ) : (
          <ol>
            {chapters.map((c) => (
              <li key={c.id}>
                <Link to={`${base}/${c.chapter_number}`}>{chapterName(c)}</Link>
                <span className="reader__toc-words">{words(c.word_count)}</span>
              </li>
            ))}
          </ol>
        )}
      </nav>
      {first && (
        <p className="reader__start">
          <Link className="button button--primary" to={`${base}/${first.chapter_number}`}>
            Start reading
          </Link>
        </p>
      )}
    </article>
  );
}

function Cover({ fileId, title }: { fileId: string; title: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) return null;
  return <img className="reader__cover" src={`/api/files/${fileId}`} alt={`The cover of ${title}`} onError={() => setFailed(true)} />;
}

function ChapterNav({ base, prev, next }: { base: string; prev: ChapterSummary | undefined; next: ChapterSummary | undefined }) {
  return (
    <nav className="reader__nav" aria-label="Chapters">
      {prev ? (
        <Link className="reader__nav-link" to={`${base}/${prev.chapter_number}`} rel="prev">
          <span className="reader__nav-dir">← Previous</span>
          <span className="reader__nav-title">{chapterName(prev)}</span>
        </Link>
      ) : (
        <span />
      )}
      <Link className="reader__nav-toc" to={base}>
        Contents
      </Link>
      {next ? (
        <Link className="reader__nav-link reader__nav-link--next" to={`${base}/${next.chapter_number}`} rel="next">
          <span className="reader__nav-dir">Next →</span>
          <span className="reader__nav-title">{chapterName(next)}</span>
        </Link>
      ) : (
        <span className="reader__nav-end">The end of what is published so far.</span>
      )}
    </nav>
  );
}
