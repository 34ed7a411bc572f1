// Package importer turns an uploaded manuscript — DOCX, ODT, Markdown, plain
// text, Fountain or Final Draft FDX — into a story structure: a title, a
// content type and chapters whose text is a validated document.Doc, plus
// warnings about anything that was not carried over. Manuscript.Preview gives
// the summary a writer checks before the story is created.
//
// # Safety
//
// Uploads are hostile until proven otherwise, so every cost is bounded before
// it is paid (Options lists the limits and their defaults):
//
//   - the file size is checked first;
//   - zip containers (DOCX, ODT) are refused when they hold more entries than
//     allowed; the count is taken by scanning the file for central-directory
//     signatures before archive/zip allocates anything per entry, an upper
//     bound on what any zip reader will list;
//   - only the few parts we need are read, each decompressed by us through a
//     counting reader that fails with errs.TooLarge as soon as the part's
//     uncompressed size or its compression ratio passes the limit — the sizes
//     in the zip headers are only used to refuse early, never trusted;
//   - XML is read with encoding/xml, token by token, never into a tree; a
//     DOCTYPE (the carrier of entity-expansion and external-entity attacks,
//     which no word processor writes) is refused outright, as are encodings
//     other than UTF-8, element nesting deeper than the limit and more
//     elements than the limit (markup without text costs time too);
//   - the text, paragraphs and chapters produced are counted as they are
//     produced, so a file that passes the byte limits still cannot make an
//     oversized story.
//
// Refusals are *errs.Error values with a message written for the writer:
// TooLarge for limits, UnsupportedMedia for a file of the wrong kind (a PNG
// named .docx, an old .doc, a spreadsheet), Invalid for a damaged file or
// text that is not UTF-8.
//
// # Chapters
//
// Prose (DOCX, ODT, Markdown, plain text):
//
//   - Headings (Word's Heading 1–9 styles or outline levels, ODT text:h,
//     Markdown #) at the highest level present mark chapters; the heading
//     becomes the chapter title and deeper headings stay in the text as h2
//     or h3. When every top-level heading reads "Part …", "Book …" or
//     "Volume …" and deeper headings exist, the deeper level marks chapters
//     and each part heading opens its first chapter as an h1.
//   - A Title-styled paragraph at the start, or a lone top-level heading at
//     the start with deeper headings after it, is the book's title rather
//     than a chapter; later Title-styled paragraphs count as top-level
//     headings. Table-of-contents paragraphs (TOC 1–9 styles) are dropped.
//   - Without headings, paragraphs that read like chapter labels ("Chapter
//     1", "CHAPTER ONE: The Storm", "Prologue", "Epilogue") mark chapters;
//     without those, the whole text is one chapter (with a warning).
//   - Text before the first chapter becomes an untitled first chapter (with
//     a warning), except the author, date and subtitle lines word
//     processors put under a title, which are dropped.
//   - A paragraph that is only "#", "*", "***", "* * *", "~" or similar
//     (centred or not), a horizontal rule, an empty bordered paragraph, or
//     an empty Markdown heading ("#" alone) is a scene break; breaks at the
//     edges of a chapter and repeated breaks are dropped.
//   - Paragraph text is kept as written (tabs, line breaks, smart quotes);
//     italic, bold, underline, strikethrough, superscript and subscript
//     become marks; http and https links become links, other links their
//     text. Tracked changes read as accepted, and images, footnotes and
//     tables' layout are left out, each with a warning; comments, headers
//     and footers are not read.
//   - A chapter too big for one document (document.MaxBlocks blocks,
//     document.MaxTextBytes of text) is split into parts "Title (part 2)", …
//
// Scripts (Fountain, FDX) have the content type screenplay. Chapters are the
// acts: sections at the highest level present (Fountain "#", FDX "New Act")
// mark chapters and become their titles; without sections the script is one
// chapter. With Options.SplitScenes every scene heading starts a chapter
// instead (the heading stays in the text). Blocks before the first chapter
// (FADE IN:) join it.
//
// The manuscript's title comes from the file's metadata (DOCX core
// properties, ODT meta.xml, Markdown front matter, the Fountain or FDX title
// page), else the title paragraph or heading described above, else the file
// name in Options.Name.
package importer
