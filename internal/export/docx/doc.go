// Package docx writes a Book as a Word document (Office Open XML, .docx) in
// Standard Manuscript Format, William Shunn's modern style, the layout
// agents, editors and magazines expect in a submission. It writes the OOXML
// parts itself with the standard library: no third-party DOCX code.
//
// The layout of a prose manuscript (novel, novella, graphic novel script in
// prose):
//
//   - Letter or A4 paper, 1 in margins, Times New Roman (or Courier New) 12 pt,
//     double-spaced, ragged right, 0.5 in first-line indent and no space
//     between paragraphs.
//   - Page 1 is the title page: the contact block single-spaced in the top
//     left corner (legal name, address lines, phone, email), "about N words"
//     on the first line at the right margin, and the title centred about 40%
//     of the way down with the byline "by Author" under it. It has no header.
//   - From page 2 a right-aligned header "Surname / KEYWORD / n", where n is a
//     PAGE field (w:titlePg keeps it off page 1).
//   - Each chapter starts on a new page with its heading a third of the way
//     down: "Chapter N" and, on the next line, the chapter's title. Chapter
//     headings use the Heading 1 style, so Word's navigation pane, LibreOffice's
//     navigator and pandoc all see them as headings; headings inside a chapter
//     become Heading 2 to 4.
//   - Every paragraph is indented, including the first of a chapter and the
//     first after a scene break: Shunn's rule for manuscripts (the flush-left
//     opening paragraph is book design, not manuscript format). Scene breaks are
//     a centred "#"; block quotes are indented 0.5 in on both sides; "END" is
//     centred after the last chapter.
//   - Italics are real italics in Times New Roman and underlines in Courier
//     New, the typewriter convention Shunn's classic format keeps.
//
// The word count on the title page is Book.WordCount rounded the way Shunn's
// guide rounds: to the nearest 100, and to the nearest 500 in novella
// territory (17,500 words, SFWA's lower bound for a novella, and up). For
// novels (40,000 words and up) it rounds to the nearest 1,000, the coarser
// rounding the guide's older versions used for book lengths; below 50 words
// the exact count is given.
//
// Screenplays and stage plays get a script layout instead: Courier New 12 pt
// (unless Options.Font says otherwise), single-spaced, a 1.5 in left margin,
// the page number "n." top right from page 2, a title page with the title,
// "Written by" (or "by") and the author, and the contact block in the title
// page's footer. Script elements are paragraphs with named styles (Scene
// Heading, Action, Character, Parenthetical, Dialogue, Transition, Shot,
// Centered, Lyrics, Act Heading, Stage Direction) carrying the industry
// indents; a screenplay's dialogue sits in a 3.5 in column 1 in from the left
// margin, a play's speeches run the full width under centred names. Dual
// dialogue is written one speech after the other, not side by side, and
// outline elements (sections, synopses, notes) are not printed.
//
// Images are stored files the Book does not carry, so an image block prints
// as a centred placeholder "[Image: alt]" with its caption, the way
// manuscripts mark where art goes. Lists print their bullets and numbers as
// text. Links keep their text and become hyperlinks.
//
// The output is byte-for-byte deterministic: every part is generated in a fixed
// order and every zip entry carries Book.Modified as its time.
package docx
