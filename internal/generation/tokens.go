package generation

import (
	"unicode"
	"unicode/utf8"
)

// Tokens estimates how many tokens a model's tokenizer makes of s. It is
// deterministic and cheap, so budgets are filled the same way every time; it
// errs slightly high (the larger of a bytes-based and a words-based estimate),
// so a budget it fills is rarely overrun by the real count.
func Tokens(s string) int {
	if s == "" {
		return 0
	}
	words, punct := 0, 0
	inWord := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				words++
			}
			inWord = true
		case unicode.IsSpace(r):
			inWord = false
		default:
			if r != '\'' && r != '’' {
				punct++
				inWord = false
			}
		}
	}
	byWords := (words*4+2)/3 + punct
	byBytes := (len(s) + 3) / 4
	return max(byWords, byBytes)
}
