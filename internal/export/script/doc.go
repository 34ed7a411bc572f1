// Package script writes screenplays and stage plays: Fountain, Final Draft
// FDX, a screenplay PDF in the standard American format and a stage-play PDF
// in the Samuel French manuscript style.
//
// The PDFs are laid out in two steps. First the script is set on a grid of
// Courier-metric cells, 10 to the inch and 6 lines to the inch, and cut into
// pages by the rules of screenplay pagination (no stranded scene headings or
// cues, speeches split between sentences with "(MORE)" and "(CONT'D)",
// transitions kept with what they close). Then go-pdf/fpdf draws each page
// of the grid in Liberation Mono. The grid is plain data, so its golden files
// show every page as it prints and the pagination rules can be tested
// directly.
package script
