package aitest

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens counts the tokens in s the way both fakes do. Every run of letters and
// digits costs one token per started five characters, every other visible
// character (punctuation, symbols) one token and every line break one token;
// spaces and tabs are free. English prose comes out near 1.4 tokens a word, close
// to real tokenizers, yet different enough from a bytes/4 estimate that an
// estimator has to be calibrated. The count is additive over pieces cut at white
// space, which is where the fakes cut replies into deltas.
func Tokens(s string) int {
	n, word := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			word++
			continue
		}
		n += (word + 4) / 5
		word = 0
		if r == '\n' || !unicode.IsSpace(r) {
			n++
		}
	}
	return n + (word+4)/5
}

// sentences are the material of scripted replies. Some carry multi-byte characters
// so that chunk splitting can cut inside one.
var sentences = []string{
	"The rain had not stopped since the ferry left the harbour.",
	"Mara counted the lanterns along the quay and found one missing.",
	"Nobody in the village would say the old keeper's name aloud.",
	"She folded the map twice and slid it under the loose floorboard.",
	"The letter was signed with a single initial, smudged by salt water.",
	"Somewhere below deck a dog barked once and fell silent.",
	"“You came back,” he said, as if he had been expecting her for years.",
	"The café on the corner served coffee so bitter it felt like a dare.",
	"Her naïve plan had one virtue: nobody would believe anyone tried it.",
	"The bell in the tower rang thirteen times — then stopped mid-stroke.",
	"A shopkeeper from Kyōto had left the crate with a note: 東京へ.",
	"Jonas kept his hands in his pockets so no one would see them shake.",
	"The lighthouse beam swept the cliffs, and for a moment she saw the boat.",
	"Every door in the house opened inward, except the one to the cellar.",
	"He spoke of the war the way other men spoke of the weather.",
	"By noon the fog had lifted, and with it the last of her excuses.",
	"The ledger listed three names; two of them had been crossed out in red.",
	"Outside, the wind worried at the shutters like a dog at a bone.",
	"She had promised herself she would not cry, and she kept the promise.",
	"The stranger paid in coins that had not been minted for a century.",
	"Señora Ibáñez watched from the window and said nothing at all.",
	"It was the kind of silence that asks to be broken.",
	"The boat's engine coughed, caught, and carried them out past the reef.",
	"When the tide turned, so did the luck of everyone on the island.",
}

// ScriptedReply returns the reply both fakes give when the last user message is
// prompt, before max_tokens and stop sequences shorten it: eight to fourteen
// sentences in paragraphs, picked by a hash of prompt, so the same prompt always
// gets the same text and different prompts almost always get different text.
func ScriptedReply(prompt string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(prompt))
	seed := h.Sum64()
	rng := rand.New(rand.NewPCG(seed, seed>>1|1))
	count := 8 + rng.IntN(7)
	var b strings.Builder
	for i := range count {
		switch {
		case i == 0:
		case i%4 == 0:
			b.WriteString("\n\n")
		default:
			b.WriteByte(' ')
		}
		b.WriteString(sentences[rng.IntN(len(sentences))])
	}
	return b.String()
}

// thinkingText is the fixed content of the thinking block the Anthropic fake can send.
const thinkingText = "The scene needs a turn before it ends. Keep the point of view; end on an image."

// pieces cuts s where white space follows a non-space character, so each piece
// after the first starts with its white space: "It", " was", "\n\nThe". The cuts
// never split a word, so Tokens is additive over the pieces.
func pieces(s string) []string {
	var out []string
	start, inSpace := 0, true
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if sp && !inSpace && i > start {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// plan is a reply cut to size and into deltas.
type plan struct {
	deltas       []string
	text         string
	tokens       int // Tokens(text)
	stopReason   string
	stopSequence string
}

// makePlan cuts reply at the first stop sequence, then to budget tokens (no limit
// when budget < 0), and names the stop reason the way the Messages API does.
func makePlan(reply string, budget int, stops []string) plan {
	p := plan{stopReason: "end_turn"}
	cut := len(reply)
	for _, s := range stops {
		if i := strings.Index(reply, s); s != "" && i >= 0 && i < cut {
			cut, p.stopReason, p.stopSequence = i, "stop_sequence", s
		}
	}
	var b strings.Builder
	for _, piece := range pieces(reply[:cut]) {
		t := Tokens(piece)
		if budget >= 0 && p.tokens+t > budget {
			if head := strings.TrimRightFunc(fitRunes(piece, budget-p.tokens), unicode.IsSpace); head != "" {
				p.deltas = append(p.deltas, head)
				b.WriteString(head)
				p.tokens += Tokens(head)
			}
			p.stopReason, p.stopSequence = "max_tokens", ""
			break
		}
		p.deltas = append(p.deltas, piece)
		b.WriteString(piece)
		p.tokens += t
	}
	p.text = b.String()
	return p
}

// fitRunes returns the longest prefix of s, cut at a rune boundary, of at most
// budget tokens.
func fitRunes(s string, budget int) string {
	end := 0
	for i, r := range s {
		next := i + utf8.RuneLen(r)
		if Tokens(s[:next]) > budget {
			break
		}
		end = next
	}
	return s[:end]
}
