package generation

import (
	"fmt"
	"slices"
	"strings"
)

// The modes of generation a writer can ask for.
const (
	ModeContinue   = "continue"   // continue the text from where it ends
	ModeScene      = "scene"      // write a scene from its card and beats
	ModeRewrite    = "rewrite"    // rewrite a passage following an instruction
	ModeExpand     = "expand"     // make a passage longer and richer
	ModeShorten    = "shorten"    // make a passage tighter
	ModeDescribe   = "describe"   // describe a person, place or thing
	ModeBrainstorm = "brainstorm" // a list of ideas
	ModeOutline    = "outline"    // scene cards for a chapter
	ModeCharacters = "characters" // character sheets
	ModeSummarize  = "summarize"  // a summary of a chapter or scene
)

// Modes lists every mode, in the order the API documents them.
var Modes = []string{ModeContinue, ModeScene, ModeRewrite, ModeExpand, ModeShorten, ModeDescribe,
	ModeBrainstorm, ModeOutline, ModeCharacters, ModeSummarize}

// modeSpec says what a mode needs and how long its answer is.
type modeSpec struct {
	needsSelection   bool
	needsInstruction bool
	needsChapter     bool
	needsScene       bool
	// prose modes write text that may be accepted into a chapter.
	prose bool
	// words is the default length of the answer.
	words int
}

var modeSpecs = map[string]modeSpec{
	ModeContinue:   {prose: true, words: 400},
	ModeScene:      {needsScene: true, prose: true, words: 1200},
	ModeRewrite:    {needsSelection: true, needsInstruction: true, prose: true},
	ModeExpand:     {needsSelection: true, prose: true},
	ModeShorten:    {needsSelection: true, prose: true},
	ModeDescribe:   {needsInstruction: true, prose: true, words: 250},
	ModeBrainstorm: {needsInstruction: true, words: 500},
	ModeOutline:    {needsChapter: true, words: 900},
	ModeCharacters: {words: 1200},
	ModeSummarize:  {needsChapter: true, words: 150},
}

// Prose reports whether a mode writes story text that can be accepted into a
// chapter or scene (as opposed to notes, outlines and sheets).
func Prose(mode string) bool { return modeSpecs[mode].prose }

// validMode reports whether mode is known.
func validMode(mode string) bool { return slices.Contains(Modes, mode) }

// formatRules tells the model how to write for the story's kind.
func formatRules(contentType string) string {
	switch contentType {
	case "screenplay":
		return "Write in Fountain screenplay format: scene headings in capitals (INT. PLACE - DAY), action in the present tense, " +
			"character cues in capitals on their own line followed by dialogue, parentheticals in brackets. No markdown, no commentary."
	case "play":
		return "Write in stage-play format as Fountain: character names in capitals on their own line followed by their lines, " +
			"stage directions as action lines in the present tense. No markdown, no commentary."
	case "graphic_novel":
		return "Write a graphic-novel script in plain prose paragraphs: describe each panel's picture, then its captions and balloons. " +
			"No commentary about the writing."
	}
	return "Write finished prose in plain paragraphs separated by blank lines; *italics* for emphasis only. " +
		"No headings, no title, no notes or commentary about the writing."
}

// instruction is the closing request of the prompt for a mode.
func instruction(mode string, in *Input, words int) string {
	var b strings.Builder
	target := in.targetName()
	switch mode {
	case ModeContinue:
		fmt.Fprintf(&b, "Continue %s from exactly where the text above ends, without repeating it. Write about %d words.", target, words)
	case ModeScene:
		fmt.Fprintf(&b, "Write %s from its scene card above, covering every beat in order, in about %d words. Begin with the scene itself.", target, words)
	case ModeRewrite:
		fmt.Fprintf(&b, "Rewrite the passage above as the writer asks. Keep its length within a fifth and keep every fact it states.")
	case ModeExpand:
		fmt.Fprintf(&b, "Expand the passage above to about %d words: more sensory detail, interiority and texture. Keep every event and line of dialogue.", words)
	case ModeShorten:
		fmt.Fprintf(&b, "Shorten the passage above to about %d words. Keep every plot event and the voice; cut repetition and filler.", words)
	case ModeDescribe:
		fmt.Fprintf(&b, "Write a vivid description, about %d words, in the story's voice and from the point of view of the scene.", words)
	case ModeBrainstorm:
		fmt.Fprintf(&b, "Brainstorm: give 8 to 10 distinct, specific ideas as a numbered list, one or two sentences each, consistent with the story bible.")
	case ModeOutline:
		fmt.Fprintf(&b, "Outline %s as scene cards. Answer with JSON only: "+
			`{"scenes":[{"title":"…","pov":"character name","setting":"…","goal":"…","beats":["…"],"target_words":1200}]}`+
			" with 2 to 5 scenes, 3 to 6 beats each, consistent with the story so far.", target)
	case ModeCharacters:
		fmt.Fprintf(&b, "Draft character sheets for the people this story needs. Answer with JSON only: "+
			`{"characters":[{"name":"…","role":"protagonist|antagonist|supporting|minor","aliases":["…"],"description":"…","background":"…"}]}`+
			". Do not repeat characters already in the bible.")
	case ModeSummarize:
		fmt.Fprintf(&b, "Summarize %s in at most %d words, past tense: what happens, what changes for whom, and any fact later chapters must respect.", target, words)
	}
	if in.Instruction != "" {
		b.WriteString("\n\nThe writer asks: ")
		b.WriteString(in.Instruction)
	}
	return b.String()
}
