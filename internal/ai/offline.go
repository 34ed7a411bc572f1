package ai

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode"
)

// OfflineProvider is for development and tests: it calls no model and needs no
// network or key. It writes deterministic placeholder prose built from the names,
// places and beats it finds in the prompt, so identical requests give identical
// text. Its first sentence says the text is an offline draft, and every Result
// carries Provider "offline" so the API and UI can label it.
type OfflineProvider struct{}

var _ Provider = (*OfflineProvider)(nil)

// NewOffline returns the offline provider.
func NewOffline() *OfflineProvider { return &OfflineProvider{} }

// Name returns "offline".
func (p *OfflineProvider) Name() string { return "offline" }

const (
	offlineModel         = "offline-1"
	offlineDefaultTokens = 400
	offlineWordsPerToken = 0.75
)

// Stream writes the text word by word to onDelta. When ctx ends or onDelta fails it
// returns the partial Result with the error.
func (p *OfflineProvider) Stream(ctx context.Context, req Request, onDelta func(text string) error) (*Result, error) {
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = offlineDefaultTokens
	}
	prompt := offlinePrompt(req)
	compose := offlineCompose
	if strings.Contains(prompt, "Fountain") {
		compose = offlineScript
	}
	text, stop := compose(offlineFacts(prompt), offlineSeed(req, maxTokens), maxTokens)

	res := &Result{
		StopReason: stop,
		Usage:      Usage{InputTokens: len(prompt) / 4, OutputTokens: len(text) / 4},
		Provider:   p.Name(),
		Model:      offlineModel,
	}
	var sent strings.Builder
	for _, word := range strings.SplitAfter(text, " ") {
		if err := ctx.Err(); err != nil {
			res.Text, res.Partial, res.StopReason = sent.String(), true, ""
			return res, fmt.Errorf("ai: offline: %w: %w", ErrIncomplete, err)
		}
		sent.WriteString(word)
		if err := onDelta(word); err != nil {
			res.Text, res.Partial, res.StopReason = sent.String(), true, ""
			return res, fmt.Errorf("ai: offline: delta: %w", err)
		}
	}
	res.Text = text
	return res, nil
}

// offlinePrompt is the text the provider draws on: the system blocks and the last
// user message.
func offlinePrompt(req Request) string {
	var parts []string
	for _, b := range req.System {
		parts = append(parts, b.Text)
	}
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == "user" {
			parts = append(parts, req.Messages[i].Text)
			break
		}
	}
	return strings.Join(parts, "\n")
}

func offlineSeed(req Request, maxTokens int) uint64 {
	h := fnv.New64a()
	for _, b := range req.System {
		fmt.Fprintf(h, "s%d:%s", len(b.Text), b.Text)
	}
	for _, m := range req.Messages {
		fmt.Fprintf(h, "m%s%d:%s", m.Role, len(m.Text), m.Text)
	}
	fmt.Fprintf(h, "t%d|%s|%q", maxTokens, req.Model, req.StopSequences)
	return h.Sum64()
}

type offlineFactSet struct {
	names  []string
	places []string
	beats  []string
}

// offlineFacts reads "Character: Mara", "Setting: ...", "Beats: ..." lines (and
// bulleted lists under them), then falls back to capitalised words.
func offlineFacts(prompt string) offlineFactSet {
	var f offlineFactSet
	section := ""
	for _, line := range strings.Split(prompt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			section = ""
			continue
		}
		if item, ok := offlineBullet(line); ok && section != "" {
			f.add(section, item)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			section = ""
			continue
		}
		section = offlineSection(strings.ToLower(strings.TrimSpace(key)))
		if section == "" {
			continue
		}
		for _, item := range offlineSplit(section, value) {
			f.add(section, item)
		}
	}
	if len(f.names) == 0 {
		f.names = offlineCapitalised(prompt)
	}
	return f
}

func (f *offlineFactSet) add(section, item string) {
	item = strings.Trim(strings.TrimSpace(item), ".;,")
	if item == "" {
		return
	}
	switch section {
	case "names":
		f.names = offlineAppendUnique(f.names, item)
	case "places":
		f.places = offlineAppendUnique(f.places, item)
	case "beats":
		f.beats = offlineAppendUnique(f.beats, item)
	}
}

func offlineAppendUnique(list []string, s string) []string {
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

func offlineSection(key string) string {
	switch key {
	case "character", "characters", "name", "names", "protagonist", "pov", "cast":
		return "names"
	case "setting", "place", "places", "location", "locations":
		return "places"
	case "beat", "beats", "outline", "plot":
		return "beats"
	}
	return ""
}

func offlineSplit(section, value string) []string {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil
	}
	switch section {
	case "names":
		value = strings.ReplaceAll(value, " and ", ",")
		return strings.Split(value, ",")
	case "beats":
		return strings.FieldsFunc(value, func(r rune) bool { return r == ';' || r == '.' || r == '|' })
	}
	return []string{value}
}

func offlineBullet(line string) (string, bool) {
	if s, ok := strings.CutPrefix(line, "- "); ok {
		return s, true
	}
	if s, ok := strings.CutPrefix(line, "* "); ok {
		return s, true
	}
	i := strings.IndexFunc(line, func(r rune) bool { return !unicode.IsDigit(r) })
	if i > 0 && (line[i] == '.' || line[i] == ')') {
		return strings.TrimSpace(line[i+1:]), true
	}
	return "", false
}

// offlineCommon are capitalised words that are rarely names.
var offlineCommon = map[string]bool{
	"The": true, "This": true, "That": true, "These": true, "Those": true, "There": true,
	"Then": true, "When": true, "What": true, "Where": true, "Which": true, "While": true,
	"Who": true, "Why": true, "How": true, "And": true, "But": true, "For": true,
	"With": true, "Write": true, "You": true, "Your": true, "She": true, "Her": true,
	"His": true, "They": true, "Their": true, "Chapter": true, "Scene": true, "Keep": true,
	"Use": true, "Make": true, "Continue": true, "Story": true, "Style": true, "Tone": true,
	"Setting": true, "Character": true, "Characters": true, "Beats": true, "Now": true,
	"After": true, "Before": true, "One": true, "Each": true, "Every": true, "Please": true,
}

// offlineCapitalised guesses names from a prompt without a cast list: words
// capitalised in the middle of a sentence ("… where Ilse meets Corwin …") that
// the prompt never writes in lower case. A capital after a line start, a full
// stop, a colon or a heading mark only starts a sentence or a label ("Title:",
// "Never …"), and a word also seen in lower case ("The Harbour" beside "the
// harbour") is an ordinary word.
func offlineCapitalised(prompt string) []string {
	type word struct {
		text          string
		sentenceStart bool
	}
	var (
		words []word
		lower = map[string]bool{}
		cur   []rune
		start = true // the next word starts a sentence or a label
	)
	flush := func() {
		w := strings.Trim(string(cur), "'-")
		cur = cur[:0]
		if w == "" {
			return
		}
		if r := []rune(w); unicode.IsLower(r[0]) {
			lower[strings.ToLower(w)] = true
		}
		words = append(words, word{w, start})
		start = false
	}
	for _, r := range prompt {
		if unicode.IsLetter(r) || r == '\'' || r == '-' {
			cur = append(cur, r)
			continue
		}
		flush()
		switch r {
		case '\n', '.', '!', '?', ':', '#', '"', '“', '(', '[', '*', '|', ';':
			start = true
		}
	}
	flush()
	var names []string
	for _, w := range words {
		r := []rune(w.text)
		if w.sentenceStart || len(r) < 3 || !unicode.IsUpper(r[0]) || offlineCommon[w.text] || lower[strings.ToLower(w.text)] {
			continue
		}
		if strings.ToUpper(w.text) == w.text {
			continue // acronyms and shouting
		}
		names = offlineAppendUnique(names, w.text)
		if len(names) == 6 {
			break
		}
	}
	return names
}

var offlineSentences = []string{
	"{name} stood at the edge of {place} and listened to the wind.",
	"The light over {place} had gone the colour of old brass.",
	"{name} kept the thought private, for now.",
	"Somewhere behind {name}, a door closed softly.",
	"It came down to this: {beat}.",
	"{name} turned the thought over like a coin: {beat}.",
	"{other} was waiting, as {other} always seemed to be.",
	"\"You knew,\" {other} said. \"You knew all along.\"",
	"{name} counted the steps back to {place} and found the number wrong.",
	"Rain began, thin and patient, over {place}.",
	"Nothing in {place} was quite where {name} had left it.",
	"{name} looked at {other} for a long moment before answering.",
	"The silence between them said more than either would.",
	"By the time the lamps were lit, {name} had decided.",
	"There was still the matter of what came next: {beat}.",
	"{other} laughed, but there was no warmth in it.",
	"A cold smell of salt and iron drifted in from {place}.",
	"{name} let the moment pass, and regretted it at once.",
}

var (
	offlineFallbackNames  = []string{"the stranger", "the traveller"}
	offlineFallbackPlaces = []string{"the old quarter", "the harbour", "the house on the hill"}
	offlineFallbackBeats  = []string{"the truth would not stay buried", "someone would have to pay"}
)

// offlineCompose writes sentences until a seeded length or the token budget,
// whichever comes first. The budget counts both 0.75 words per token and the
// len/4 estimate Usage reports, so neither runs past MaxTokens.
func offlineCompose(f offlineFactSet, seed uint64, maxTokens int) (text, stop string) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names, places, beats := f.names, f.places, f.beats
	if len(names) == 0 {
		names = offlineFallbackNames
	}
	if len(places) == 0 {
		places = offlineFallbackPlaces
	}
	if len(beats) == 0 {
		beats = offlineFallbackBeats
	}
	pick := func(list []string) string { return list[rng.IntN(len(list))] }

	maxWords := int(float64(maxTokens) * offlineWordsPerToken)
	maxChars := maxTokens * 4
	var words []string
	total := -1 // no space before the first word
	add := func(s string) bool {
		for _, w := range strings.Fields(s) {
			if len(words) > 0 && (len(words)+1 > maxWords || total+1+len(w) > maxChars) {
				return false
			}
			words = append(words, w)
			total += 1 + len(w)
		}
		return true
	}
	if !add("Offline draft, written without a model.") {
		return strings.Join(words, " "), "max_tokens"
	}
	// The opening names everyone, so the prompt's cast shows up even in short drafts.
	cast, verb := names[0], "was"
	if len(names) > 1 {
		cast, verb = strings.Join(names[:len(names)-1], ", ")+" and "+names[len(names)-1], "were"
	}
	opening := []rune(cast + " " + verb + " in " + places[0] + " when it began.")
	opening[0] = unicode.ToUpper(opening[0])
	if !add(string(opening)) {
		return strings.Join(words, " "), "max_tokens"
	}
	// Names take turns and beats come in the order the prompt gave them.
	beat := len(beats) - 1
	// A shuffled order keeps a template from coming up twice in one draft.
	order := rng.Perm(len(offlineSentences))
	sentences := 6 + rng.IntN(10)
	for i := 0; i < sentences; i++ {
		name := names[i%len(names)]
		other := "the other"
		if len(names) > 1 {
			other = names[(i+1)%len(names)]
		}
		tmpl := offlineSentences[order[i%len(order)]]
		if strings.Contains(tmpl, "{beat}") {
			beat = (beat + 1) % len(beats)
		}
		s := strings.NewReplacer(
			"{name}", name, "{other}", other, "{place}", pick(places), "{beat}", beats[beat],
		).Replace(tmpl)
		r := []rune(s)
		r[0] = unicode.ToUpper(r[0])
		if !add(string(r)) {
			return strings.Join(words, " "), "max_tokens"
		}
	}
	return strings.Join(words, " "), "end_turn"
}

var offlineLines = []string{
	"You knew. You knew all along.",
	"Not here. Not now.",
	"Then tell me what happened in {place}.",
	"It came down to this: {beat}.",
	"I kept my word. Did you keep yours?",
	"We leave at first light.",
	"Say it again, slower.",
}

// offlineScript writes a scene in Fountain, for screenplays and stage plays: a
// scene heading, then action lines and speeches that take turns among the names.
func offlineScript(f offlineFactSet, seed uint64, maxTokens int) (text, stop string) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names, places, beats := f.names, f.places, f.beats
	if len(names) == 0 {
		names = offlineFallbackNames
	}
	if len(places) == 0 {
		places = offlineFallbackPlaces
	}
	if len(beats) == 0 {
		beats = offlineFallbackBeats
	}
	heading := strings.ToUpper(places[0])
	if !strings.HasPrefix(heading, "INT") && !strings.HasPrefix(heading, "EXT") {
		heading = "INT. " + heading + " - NIGHT"
	}
	parts := []string{heading, "Offline draft, written without a model."}
	budget := maxTokens * 4
	used := len(parts[0]) + len(parts[1])
	add := func(s string) bool {
		if used+len(s)+2 > budget {
			return false
		}
		parts = append(parts, s)
		used += len(s) + 2
		return true
	}
	elements := 4 + rng.IntN(6)
	for i := 0; i < elements; i++ {
		name := names[i%len(names)]
		r := strings.NewReplacer("{name}", name, "{other}", names[(i+1)%len(names)], "{place}", places[rng.IntN(len(places))],
			"{beat}", beats[i%len(beats)])
		var el string
		if i%2 == 0 {
			el = r.Replace(offlineSentences[rng.IntN(len(offlineSentences))])
			el = strings.ToUpper(el[:1]) + el[1:]
		} else {
			el = strings.ToUpper(name) + "\n" + r.Replace(offlineLines[rng.IntN(len(offlineLines))])
		}
		if !add(el) {
			return strings.Join(parts, "\n\n"), "max_tokens"
		}
	}
	return strings.Join(parts, "\n\n"), "end_turn"
}
