package generation

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/authorworks/authorworks/internal/content"
)

// The synthetic book the assembler is evaluated and benchmarked on (ai-engine.md
// §6): chapters of scenes with cards, a bible of characters and world entries
// with aliases, relationships, and facts that hold over ranges of chapters. It
// is built in memory from a seed, so every run sees the same book, and every
// label (who is present, what is named, which facts each scene needs) comes
// from how the book was generated, never from the assembler's own matcher.

// synthSpec sizes a synthetic book.
type synthSpec struct {
	chapters, scenesPerChapter int
	sceneWords                 int // about this many words of prose per scene
	// extraCharacters and extraEntries are generated beyond the 40 hand-written
	// entities of synthCast.
	extraCharacters, extraEntries int
	facts                         int // facts about entities, world facts excluded
	worldFacts                    int
	seed                          uint64
}

// evalSpec is the book of the offline evaluation: 30 chapters × 3 scenes of
// about 100 words, 40 entities, 300 facts.
var evalSpec = synthSpec{chapters: 30, scenesPerChapter: 3, sceneWords: 100, facts: 290, worldFacts: 10, seed: 1}

// benchSpec is the book of the benchmark: about 100k words, 500 entities.
var benchSpec = synthSpec{chapters: 30, scenesPerChapter: 3, sceneWords: 1110, extraCharacters: 100,
	extraEntries: 360, facts: 3000, worldFacts: 20, seed: 2}

// synthBook is a synthetic book with its labels.
type synthBook struct {
	ms        *content.Manuscript
	bible     *content.Bible
	summaries map[string]string
	entities  []*synthEntity
	byID      map[string]*synthEntity
	scenes    []*synthScene // in reading order
	facts     []*synthFact
}

// synthEntity is a character or a world entry, with the ways the text may
// name it.
type synthEntity struct {
	id, name  string
	aliases   []string
	forms     []string // how the cards and prose name it: names, possessives, plurals
	character bool
	role      string // characters
	kind      string // world entries
	intro     int    // the chapter it first appears in
	// secret is a word in a trait revealed in chapter reveal: before it, no
	// prompt may hold it.
	secret string
	reveal int
}

// synthScene is one scene with its labels.
type synthScene struct {
	chapter, scene int
	id             string
	pov            string
	present        []string // the POV character and the others the beats place in the scene
	mentioned      []string // every entity the card names, the present ones included
	marker         string   // a word found only in this scene's prose
	summaryMarker  string   // a word found only in this scene's summary
	needed         map[string]bool
}

// synthFact is a fact with the chapters it holds in (0: open) and the scenes
// that need it.
type synthFact struct {
	id, text, subject string // subject "" for a world fact
	from, until       int
	needs             []string // scene ids
}

func (f *synthFact) inForce(chapter int) bool {
	return (f.from == 0 || f.from <= chapter) && (f.until == 0 || f.until >= chapter)
}

// synthCastEntry is a hand-written entity: name, aliases, and the forms used in text
// beyond the name and aliases (possessives, plurals, other cases).
type synthCastEntry struct {
	name    string
	role    string // a character's role, or "" for a world entry
	kind    string
	aliases []string
	extra   []string
}

// synthCast is the 40 named entities: 18 characters and 22 world entries.
var synthCast = []synthCastEntry{
	{name: "Mara Quill", role: "protagonist", aliases: []string{"Mara", "the Cartographer"}, extra: []string{"Mara's", "the Cartographer’s"}},
	{name: "Tomas Reyes", role: "protagonist", aliases: []string{"Tomas", "Tom"}, extra: []string{"Tomas's", "Tom's"}},
	{name: "Orrin Vale", role: "antagonist", aliases: []string{"Orrin", "the Regent"}, extra: []string{"Orrin's", "the Regent's", "ORRIN"}},
	{name: "Ilse Varga", role: "supporting", aliases: []string{"Captain Varga", "Ilse"}, extra: []string{"Ilse's", "captain varga"}},
	{name: "Bram Holloway", role: "supporting", aliases: []string{"Bram", "Holloway"}, extra: []string{"Holloway's"}},
	{name: "Sister Agnete", role: "supporting", aliases: []string{"Agnete"}, extra: []string{"Agnete's"}},
	{name: "Kesh", role: "supporting", aliases: []string{"the Ferryman"}, extra: []string{"Kesh's"}},
	{name: "Lio Marchetti", role: "supporting", aliases: []string{"Lio"}, extra: []string{"Lio's"}},
	{name: "Dagny Strand", role: "supporting", aliases: []string{"Dagny"}, extra: []string{"Dagny's"}},
	{name: "Pell", role: "minor", extra: []string{"Pell's"}},
	{name: "Rosalind Achterberg", role: "minor", aliases: []string{"Roz"}, extra: []string{"Roz's"}},
	{name: "Old Magnus", role: "minor", aliases: []string{"Magnus"}, extra: []string{"Magnus's"}},
	{name: "Yusuf Demir", role: "minor", aliases: []string{"Yusuf"}},
	{name: "Wren Talbot", role: "minor", aliases: []string{"Wren"}, extra: []string{"Wren's"}},
	{name: "Hester Quill", role: "supporting", aliases: []string{"Hester"}, extra: []string{"Hester's"}},
	{name: "Jory Blackwood", role: "minor", aliases: []string{"Jory", "Blackwood"}},
	{name: "Nessa", role: "minor", extra: []string{"Nessa's"}},
	{name: "Edda Lorne", role: "supporting", aliases: []string{"the Archivist"}, extra: []string{"the Archivist's"}},

	{name: "Harrowgate", kind: "location", extra: []string{"Harrowgate's"}},
	{name: "Glass Library", kind: "location", aliases: []string{"the Library"}, extra: []string{"the Glass Library", "the glass library"}},
	{name: "Saltmarsh", kind: "location"},
	{name: "Thornwick Abbey", kind: "location", aliases: []string{"the Abbey"}},
	{name: "Ironbridge", kind: "location"},
	{name: "Sunken Market", kind: "location", extra: []string{"the Sunken Market", "the sunken market"}},
	{name: "Mount Ceren", kind: "location", aliases: []string{"Ceren"}},
	{name: "Lantern Quay", kind: "location", aliases: []string{"the Quay"}},
	{name: "Blackwater Keep", kind: "location", aliases: []string{"the Keep"}},
	{name: "Brass Key", kind: "object", extra: []string{"the Brass Key", "the brass key"}},
	{name: "Starglass Compass", kind: "object", aliases: []string{"the compass"}, extra: []string{"the Starglass Compass"}},
	{name: "Salt Crown", kind: "object", extra: []string{"the Salt Crown", "the Salt Crown's"}},
	{name: "Ledger of Names", kind: "object", aliases: []string{"the Ledger"}, extra: []string{"the Ledger of Names"}},
	{name: "Ember Blade", kind: "object", extra: []string{"the Ember Blade"}},
	{name: "Tide Bell", kind: "object", extra: []string{"the Tide Bell", "the tide bell"}},
	{name: "Warden Order", kind: "faction", aliases: []string{"Warden"}, extra: []string{"the Wardens", "the Wardens'", "the Warden Order"}},
	{name: "Salt Guild", kind: "faction", aliases: []string{"the Guild"}, extra: []string{"the Salt Guild", "the Guild's"}},
	{name: "Lamplighter Society", kind: "faction", aliases: []string{"Lamplighter"}, extra: []string{"the Lamplighters", "the Lamplighter Society"}},
	{name: "Crown Council", kind: "faction", aliases: []string{"the Council"}, extra: []string{"the Crown Council", "the Council's"}},
	{name: "Grey Hand", kind: "faction", extra: []string{"the Grey Hand", "the Grey Hand's"}},
	{name: "Long Winter", kind: "lore", extra: []string{"the Long Winter"}},
	{name: "Tidecall", kind: "lore", extra: []string{"the Tidecall"}},
}

// synthFillers and synthWords are prose that names no entity.
var synthFillers = []string{
	"The wind turned cold off the water.", "Somewhere a door banged twice and was still.",
	"Rain had left the stones slick and dark.", "Gulls argued over something on the roofs.",
	"A cart rattled past, loaded with barrels of pitch.", "Smoke from the chimneys hung low over the lanes.",
	"Nobody spoke for a long moment.", "The bells of the lower town rang the hour.",
	"Lamps were being lit one by one along the street.", "A dog barked and was hushed.",
	"The tide was coming in, grey and patient.", "Frost had begun to feather the windows.",
	"Her boots were soaked through.", "He counted the coins twice and put them away.",
	"The stairs groaned under every step.", "Far off, thunder walked along the hills.",
	"There was bread on the table, and a jug of thin beer.", "The candle guttered and recovered.",
	"Someone was singing in a language neither of them knew.", "The map was creased almost to tearing.",
}

var synthWords = strings.Fields(`harbour rope tar salt fish net lantern oil candle wick ledger ink quill parchment
	stone brick mortar timber beam rafter shutter hinge latch bolt window glass shard mirror river canal lock sluice
	gate bridge arch tower spire bell rope ladder cellar vault barrel crate sack grain flour bread cheese apple pear
	plum cider wine ale coin silver copper debt loan promise oath secret whisper rumour letter seal wax ribbon thread
	needle cloak hood glove boot buckle belt knife sword spear bow arrow shield helm armour horse mule cart wheel
	road track path hill valley marsh reed heron crow raven gull owl fox hare wolf bear storm rain snow frost fog
	mist cloud thunder lightning dawn dusk noon midnight hour week winter spring summer autumn harvest feast fast
	prayer chapel hymn choir monk nun priest scholar clerk sailor fisherman smith baker miller weaver dyer tanner
	cooper mason carpenter soldier guard captain sergeant spy thief beggar child mother father uncle cousin widow
	stranger friend enemy rival ally traitor hero coward fool wise brave tired hungry cold warm wet dry quiet loud
	slow quick careful reckless bitter sweet sour sharp dull bright dim hollow heavy light narrow wide steep`)

// Beat templates. Slots: {P} the POV character, {B} and {C} others present, {S}
// the setting, {O} an object, {F} a faction, {A} an absent character, {L} lore.
var synthBeats = []string{
	"{P} and {B} meet at {S} after dark.",
	"{B} shows {P} what became of {O}.",
	"{C} brings word that {F} are watching {S}.",
	"{P} remembers what {A} once said about {O}.",
	"{B} argues with {C} over who should carry {O}.",
	"{P} learns that {F} know about {L}.",
	"{C} warns {P} to keep away from {A}.",
	"{B} and {C} quarrel while {P} keeps watch.",
}

// newSynthBook builds the book of spec.
func newSynthBook(spec synthSpec) *synthBook {
	r := rand.New(rand.NewPCG(spec.seed, 0x5eed))
	f := &synthBook{byID: map[string]*synthEntity{}, summaries: map[string]string{}}
	f.makeEntities(r, spec)
	f.makeScenes(r, spec)
	f.makeFacts(r, spec)
	f.makeBible(r)
	return f
}

func (f *synthBook) makeEntities(r *rand.Rand, spec synthSpec) {
	nChar, nEntry := 0, 0
	add := func(c synthCastEntry) {
		e := &synthEntity{name: c.name, aliases: c.aliases, role: c.role, kind: c.kind, character: c.role != ""}
		if e.character {
			nChar++
			e.id = fmt.Sprintf("char-%03d", nChar)
			e.kind = "character"
		} else {
			nEntry++
			e.id = fmt.Sprintf("entry-%03d", nEntry)
		}
		e.forms = append(append([]string{c.name}, c.aliases...), c.extra...)
		switch {
		case e.role == "protagonist" || e.role == "antagonist":
			e.intro = 1
		case len(f.entities) < 40:
			e.intro = 1 + r.IntN(min(spec.chapters/2, 15))
		default:
			e.intro = 1 + r.IntN(spec.chapters*2/3)
		}
		f.entities = append(f.entities, e)
		f.byID[e.id] = e
	}
	for _, c := range synthCast {
		add(c)
	}
	// The first location is known from the start, so every scene has a setting.
	f.byID["entry-001"].intro = 1
	used := map[string]bool{}
	for _, e := range f.entities {
		for _, n := range e.forms {
			used[strings.ToLower(n)] = true
		}
	}
	for _, w := range synthWords {
		used[w] = true
	}
	kinds := []string{"location", "object", "faction", "lore", "creature"}
	for i := range spec.extraCharacters + spec.extraEntries {
		first := synthName(r, used)
		c := synthCastEntry{name: first, role: "minor", extra: []string{first + "'s"}}
		if i < spec.extraCharacters {
			last := synthName(r, used)
			c.name = first + " " + last
			c.aliases = []string{first}
			if i%10 == 0 {
				c.role = "supporting"
			}
		} else {
			c.role = ""
			c.kind = kinds[i%len(kinds)]
			if c.kind == "faction" {
				c.aliases = []string{first + "er"}
				c.extra = append(c.extra, "the "+first+"ers")
			}
		}
		add(c)
	}
}

// synthName makes a capitalised word of two or three syllables that is no
// other name and no filler word.
func synthName(r *rand.Rand, used map[string]bool) string {
	syl := []string{"ka", "lo", "mer", "vin", "tas", "rel", "dor", "quen", "sil", "bar", "neth", "ost", "ul", "zan",
		"fir", "gal", "hul", "jen", "pra", "wyn", "tor", "mi", "sa", "bel", "cor", "dun", "ev", "ith", "ro", "ya"}
	for {
		n := 2 + r.IntN(2)
		var b strings.Builder
		for range n {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		w := b.String()
		if used[w] || used[w+"s"] || used[w+"er"] || used[w+"ers"] {
			continue
		}
		used[w], used[w+"er"] = true, true
		return strings.ToUpper(w[:1]) + w[1:]
	}
}

// introduced lists the entities known by chapter ch that pass keep.
func (f *synthBook) introduced(ch int, keep func(*synthEntity) bool) []*synthEntity {
	var out []*synthEntity
	for _, e := range f.entities {
		if e.intro <= ch && keep(e) {
			out = append(out, e)
		}
	}
	return out
}

func synthPick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// form names e in text: one of its forms, chosen at random.
func synthForm(r *rand.Rand, e *synthEntity) string { return synthPick(r, e.forms) }

func (f *synthBook) makeScenes(r *rand.Rand, spec synthSpec) {
	f.ms = &content.Manuscript{Story: &content.Story{ID: "story-1", Title: "The Cartographer's Debt", ContentType: "novel",
		Genre: "fantasy", Description: "A mapmaker and a smuggler race a regent to an island that is not on any chart.",
		StyleGuide: "Close third person, past tense. Short paragraphs. Concrete detail over abstraction; no modern idiom."}}
	isChar := func(e *synthEntity) bool { return e.character }
	isMain := func(e *synthEntity) bool { return e.role == "protagonist" || e.role == "antagonist" }
	ofKind := func(k string) func(*synthEntity) bool { return func(e *synthEntity) bool { return e.kind == k } }
	for ch := 1; ch <= spec.chapters; ch++ {
		c := content.ManuscriptChapter{ID: fmt.Sprintf("ch-%02d", ch), Number: ch, Title: fmt.Sprintf("The %s %s", synthPick(r, synthWords), synthPick(r, synthWords))}
		var chapterSummary []string
		for sn := 1; sn <= spec.scenesPerChapter; sn++ {
			sc := &synthScene{chapter: ch, scene: sn, id: fmt.Sprintf("sc-%02d-%d", ch, sn),
				marker: fmt.Sprintf("zx%02dq%d", ch, sn), summaryMarker: fmt.Sprintf("zy%02dq%d", ch, sn)}
			chars := f.introduced(ch, isChar)
			// The POV is a main character two times in three.
			var pov *synthEntity
			if r.IntN(3) < 2 {
				pov = synthPick(r, f.introduced(ch, isMain))
			} else {
				pov = synthPick(r, chars)
			}
			others := synthShuffled(r, synthWithout(chars, pov))
			slots := map[byte]*synthEntity{'P': pov, 'B': others[0], 'C': others[1], 'A': others[2],
				'S': synthPick(r, f.introduced(ch, ofKind("location")))}
			if objs := f.introduced(ch, ofKind("object")); len(objs) > 0 {
				slots['O'] = synthPick(r, objs)
			}
			if fs := f.introduced(ch, ofKind("faction")); len(fs) > 0 {
				slots['F'] = synthPick(r, fs)
			}
			if ls := f.introduced(ch, ofKind("lore")); len(ls) > 0 {
				slots['L'] = synthPick(r, ls)
			}
			// Two to four beats whose slots can all be filled.
			var beats []string
			for _, i := range r.Perm(len(synthBeats)) {
				tpl := synthBeats[i]
				if !synthFillable(tpl, slots) {
					continue
				}
				beats = append(beats, tpl)
				if len(beats) == 2+r.IntN(3) {
					break
				}
			}
			if !slices.ContainsFunc(beats, func(b string) bool { return strings.Contains(b, "{P}") }) {
				beats = append(beats, synthBeats[0])
			}
			used := map[byte]bool{'P': true, 'S': true}
			card := content.SceneCard{TargetWords: 1200}
			for _, b := range beats {
				for k := range slots {
					if strings.Contains(b, "{"+string(k)+"}") {
						used[k] = true
					}
				}
				card.Beats = append(card.Beats, synthFill(r, b, slots))
			}
			goalObj := 'S'
			if slots['O'] != nil && r.IntN(2) == 0 {
				goalObj, used['O'] = 'O', true
			}
			card.Goal = fmt.Sprintf("%s must %s %s before the %s.", synthForm(r, pov), synthPick(r, []string{"find", "reach", "protect", "question"}),
				synthForm(r, slots[byte(goalObj)]), synthPick(r, []string{"tide turns", "bells ring", "night is out", "Regent's men arrive"}))
			if strings.Contains(card.Goal, "Regent's") {
				used['R'] = true
				slots['R'] = f.byID["char-003"]
			}
			setting := synthForm(r, slots['S'])
			sc.pov = pov.id
			seen := map[string]bool{}
			for _, k := range []byte("PBCSOFALR") {
				e := slots[k]
				if e == nil || !used[k] || seen[e.id] {
					continue
				}
				seen[e.id] = true
				sc.mentioned = append(sc.mentioned, e.id)
				if k == 'P' || k == 'B' || k == 'C' {
					sc.present = append(sc.present, e.id)
				}
			}
			ms := content.ManuscriptScene{ID: sc.id, Number: sn, Title: fmt.Sprintf("%s %s", synthPick(r, []string{"Night at", "Morning at", "Rain over", "Silence in"}), synthForm(r, slots['S'])),
				Setting: setting + ", " + synthPick(r, []string{"at dusk", "before dawn", "in the rain", "at noon"}), POVCharacterID: pov.id, Card: card}
			// Setting and title name the same place.
			ms.Text = f.prose(r, spec.sceneWords, sc, slots)
			ms.WordCount = len(strings.Fields(ms.Text))
			c.Scenes = append(c.Scenes, ms)
			f.scenes = append(f.scenes, sc)
			f.summaries[sc.id] = fmt.Sprintf("%s %s", strings.TrimSuffix(card.Goal, "."), "and the way on is found "+sc.summaryMarker+".")
			chapterSummary = append(chapterSummary, card.Goal)
		}
		c.Synopsis = chapterSummary[0]
		f.summaries[c.ID] = strings.Join(chapterSummary, " ") + fmt.Sprintf(" (zc%02d)", ch)
		f.ms.Chapters = append(f.ms.Chapters, c)
	}
}

func synthWithout(s []*synthEntity, e *synthEntity) []*synthEntity {
	return slices.DeleteFunc(slices.Clone(s), func(x *synthEntity) bool { return x == e })
}

func synthShuffled(r *rand.Rand, s []*synthEntity) []*synthEntity {
	s = slices.Clone(s)
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func synthFillable(tpl string, slots map[byte]*synthEntity) bool {
	for i := 0; i+2 < len(tpl); i++ {
		if tpl[i] == '{' && tpl[i+2] == '}' && slots[tpl[i+1]] == nil {
			return false
		}
	}
	return true
}

func synthFill(r *rand.Rand, tpl string, slots map[byte]*synthEntity) string {
	var b strings.Builder
	for i := 0; i < len(tpl); i++ {
		if tpl[i] == '{' && i+2 < len(tpl) && tpl[i+2] == '}' {
			b.WriteString(synthForm(r, slots[tpl[i+1]]))
			i += 2
			continue
		}
		b.WriteByte(tpl[i])
	}
	return b.String()
}

// prose writes about words words for a scene: paragraphs naming the cast
// present and the setting among filler, and the scene's marker.
func (f *synthBook) prose(r *rand.Rand, words int, sc *synthScene, slots map[byte]*synthEntity) string {
	var paras []string
	n := 0
	name := func(k byte) string { return synthForm(r, slots[k]) }
	for n < words {
		var p []string
		p = append(p, fmt.Sprintf("%s looked across %s.", name('P'), name('S')))
		if r.IntN(2) == 0 {
			p = append(p, fmt.Sprintf("%s said nothing for a while, then shrugged.", name('B')))
		}
		for range 2 + r.IntN(3) {
			p = append(p, synthPick(r, synthFillers))
		}
		if words > 200 {
			// Longer scenes get varied vocabulary, so that retrieval has something to find.
			var ws []string
			for range 25 + r.IntN(30) {
				ws = append(ws, synthPick(r, synthWords))
			}
			p = append(p, "There was "+strings.Join(ws, ", ")+".")
		}
		para := strings.Join(p, " ")
		n += len(strings.Fields(para))
		paras = append(paras, para)
	}
	paras[len(paras)-1] += fmt.Sprintf(" Someone had chalked %s on the wall.", sc.marker)
	return strings.Join(paras, "\n\n")
}

// synthPredicates are what facts say of their subjects.
var synthPredicates = []string{
	"keeps a knife in the left boot", "cannot swim", "owes forty crowns to a moneylender", "has a burn scar on the right hand",
	"sleeps with the lamp lit", "was born during a storm", "speaks three languages", "is afraid of deep water",
	"carries a letter never sent", "lost two fingers to frostbite", "was once a soldier", "hums when lying",
	"knows the old tunnels", "is hiding a wound", "has a price on their head", "trusts no one in uniform",
	"is loyal to the old queen", "keeps bees", "can read the star charts", "has a sealed door no one may open",
	"is older than it looks", "floods at every spring tide", "is guarded day and night", "is rumoured to be cursed",
	"was rebuilt after the fire", "sells information to both sides", "has changed hands three times", "is missing a page",
}

func (f *synthBook) makeFacts(r *rand.Rand, spec synthSpec) {
	nextID := 0
	add := func(subject *synthEntity, from, until int) {
		nextID++
		id := fmt.Sprintf("fact-%04d", nextID)
		var text string
		if subject == nil {
			text = fmt.Sprintf("The %s %s (f%04d).", synthPick(r, synthWords), synthPick(r, synthPredicates), nextID)
			f.facts = append(f.facts, &synthFact{id: id, text: text, from: from, until: until})
			return
		}
		text = fmt.Sprintf("%s %s (f%04d).", subject.name, synthPick(r, synthPredicates), nextID)
		f.facts = append(f.facts, &synthFact{id: id, text: text, subject: subject.id, from: from, until: until})
	}
	// Main characters get three times the facts of others.
	weights := make([]int, len(f.entities))
	total := 0
	for i, e := range f.entities {
		weights[i] = 1
		if e.role == "protagonist" || e.role == "antagonist" {
			weights[i] = 3
		}
		total += weights[i]
	}
	for i := range spec.facts {
		// Round robin by weight, so every entity has facts.
		x := (i * 7919) % total
		var e *synthEntity
		for j, w := range weights {
			if x < w {
				e = f.entities[j]
				break
			}
			x -= w
		}
		from, until := 0, 0
		switch k := r.IntN(20); {
		case k < 6: // always true
		case k < 11: // true from the entity's first appearance
			from = e.intro
		case k < 16: // a reveal: true only from a later chapter
			from = min(e.intro+2+r.IntN(spec.chapters), spec.chapters)
		default: // true for a while
			from = e.intro + r.IntN(spec.chapters/2)
			until = min(from+1+r.IntN(8), spec.chapters)
		}
		add(e, from, until)
	}
	for i := range spec.worldFacts {
		from, until := 0, 0
		if i%2 == 1 {
			from = 1 + r.IntN(spec.chapters)
		}
		add(nil, from, until)
	}
	// Label: a scene needs the facts in force at its chapter about every entity
	// its card names, and every world fact in force.
	for _, sc := range f.scenes {
		sc.needed = map[string]bool{}
		named := map[string]bool{}
		for _, id := range sc.mentioned {
			named[id] = true
		}
		for _, ft := range f.facts {
			if ft.inForce(sc.chapter) && (ft.subject == "" || named[ft.subject]) {
				sc.needed[ft.id] = true
				ft.needs = append(ft.needs, sc.id)
			}
		}
	}
}

func synthInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func (f *synthBook) makeBible(r *rand.Rand) {
	b := &content.Bible{StoryID: "story-1"}
	for _, e := range f.entities {
		desc := fmt.Sprintf("%s first appears in chapter %d. %s", e.name, e.intro, strings.Join(synthPickN(r, synthFillers, 2), " "))
		if e.character {
			e.secret, e.reveal = "zt"+e.id, min(e.intro+1+r.IntN(10), len(f.ms.Chapters))
			traits, err := json.Marshal(map[string]any{"habit": synthPick(r, synthWords),
				"secret": map[string]any{"value": "hides " + e.secret, "reveal_after": e.reveal}})
			if err != nil {
				panic(err)
			}
			b.Characters = append(b.Characters, content.Character{ID: e.id, StoryID: "story-1", Name: e.name, Role: e.role,
				Aliases: e.aliases, Description: desc, Background: synthPick(r, synthFillers), Traits: traits})
		} else {
			b.Entries = append(b.Entries, content.Entry{ID: e.id, StoryID: "story-1", Kind: e.kind, Name: e.name,
				Aliases: e.aliases, Description: desc})
		}
	}
	var chars []*synthEntity
	for _, e := range f.entities {
		if e.character {
			chars = append(chars, e)
		}
	}
	kinds := []string{"sibling", "rival", "mentor", "ally", "debtor", "former lover"}
	pairs := map[[2]string]bool{}
	for i := 0; len(b.Relationships) < len(chars)*3/2; i++ {
		from, to := chars[i%len(chars)], synthPick(r, chars)
		key := [2]string{min(from.id, to.id), max(from.id, to.id)}
		if from == to || pairs[key] {
			continue
		}
		pairs[key] = true
		b.Relationships = append(b.Relationships, content.Relationship{ID: fmt.Sprintf("rel-%03d", len(b.Relationships)+1),
			FromCharacterID: from.id, ToCharacterID: to.id, Kind: synthPick(r, kinds)})
	}
	for _, ft := range f.facts {
		cf := content.Fact{ID: ft.id, StoryID: "story-1", Fact: ft.text, FromChapter: synthInt(ft.from), UntilChapter: synthInt(ft.until)}
		if ft.subject != "" {
			id := ft.subject
			if f.byID[id].character {
				cf.CharacterID = &id
			} else {
				cf.EntryID = &id
			}
		}
		b.Facts = append(b.Facts, cf)
	}
	f.bible = b
}

func synthPickN[T any](r *rand.Rand, s []T, n int) []T {
	out := make([]T, 0, n)
	for _, i := range r.Perm(len(s))[:n] {
		out = append(out, s[i])
	}
	return out
}

// words counts the words of the book's prose.
func (f *synthBook) words() int {
	n := 0
	for _, c := range f.ms.Chapters {
		for _, sc := range c.Scenes {
			n += sc.WordCount
		}
	}
	return n
}

// input is the request to write scene sc from its card.
func (f *synthBook) input(sc *synthScene, budget int) Input {
	return Input{Mode: ModeScene, Manuscript: f.ms, Bible: f.bible, Summaries: f.summaries, Chapter: sc.chapter,
		Scene: sc.scene, Budget: budget}
}

// TestSynthBook checks the books are what the evaluation and the benchmark
// claim to run on.
func TestSynthBook(t *testing.T) {
	f := newSynthBook(evalSpec)
	if len(f.ms.Chapters) != 30 || len(f.scenes) != 90 || len(f.entities) != 40 || len(f.facts) != 300 {
		t.Errorf("eval book: %d chapters, %d scenes, %d entities, %d facts; want 30, 90, 40, 300",
			len(f.ms.Chapters), len(f.scenes), len(f.entities), len(f.facts))
	}
	if w := f.words() / len(f.scenes); w < 90 || w > 160 {
		t.Errorf("eval book: %d words a scene, want about 100", w)
	}
	roles := map[string]int{}
	for _, e := range f.entities {
		roles[e.role+e.kind]++
	}
	if roles["protagonistcharacter"] != 2 || roles["antagonistcharacter"] != 1 || roles["location"] == 0 ||
		roles["object"] == 0 || roles["faction"] == 0 {
		t.Errorf("eval book cast: %v", roles)
	}
	reveals, labelled := 0, 0
	for _, ft := range f.facts {
		if ft.subject != "" && ft.from > f.byID[ft.subject].intro {
			reveals++
		}
		if len(ft.needs) > 0 {
			labelled++
		}
	}
	if reveals < 50 || labelled < 200 {
		t.Errorf("eval book: %d facts revealed after their entity appears, %d needed by some scene", reveals, labelled)
	}
	for _, sc := range f.scenes {
		if len(sc.present) == 0 || sc.present[0] != sc.pov {
			t.Errorf("%s: present %v, POV %s", sc.id, sc.present, sc.pov)
		}
		for _, id := range sc.present {
			if !slices.Contains(sc.mentioned, id) {
				t.Errorf("%s: %s is present but not mentioned", sc.id, id)
			}
		}
	}
	// The filler names no one, so the labels are the whole truth.
	m := newMatcher()
	for _, e := range f.entities {
		m.add(e.id, append([]string{e.name}, e.aliases...)...)
	}
	if ids := m.find(strings.Join(synthFillers, "\n") + "\n" + strings.Join(synthWords, " ")); len(ids) > 0 {
		t.Errorf("the filler names %v", ids)
	}
	if again := newSynthBook(evalSpec); !reflect.DeepEqual(again.ms, f.ms) || !reflect.DeepEqual(again.bible, f.bible) {
		t.Error("two builds of the eval book differ")
	}
	big := newSynthBook(benchSpec)
	if w, n := big.words(), len(big.entities); w < 95000 || w > 110000 || n != 500 {
		t.Errorf("bench book: %d words, %d entities; want about 100k and 500", w, n)
	}
}
