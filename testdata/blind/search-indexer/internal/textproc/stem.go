package textproc

import "strings"

var suffixRules = []struct {
	suffix  string
	repl    string
	minStem int
}{
	{"ational", "ate", 2},
	{"ization", "ize", 2},
	{"fulness", "ful", 2},
	{"iveness", "ive", 2},
	{"ies", "y", 2},
	{"ing", "", 3},
	{"edly", "", 3},
	{"ed", "", 3},
	{"ly", "", 3},
	{"es", "", 3},
	{"s", "", 3},
}

// Stem strips common English suffixes. It is deliberately much simpler than
// Porter: good enough for recall on short queries, cheap at index time.
func Stem(word string) string {
	if len(word) <= 3 {
		return word
	}
	for _, rule := range suffixRules {
		if !strings.HasSuffix(word, rule.suffix) {
			continue
		}
		stem := word[:len(word)-len(rule.suffix)]
		if len(stem) < rule.minStem || !hasVowel(stem) {
			continue
		}
		if rule.suffix == "s" && strings.HasSuffix(stem, "s") {
			return word
		}
		return stem + rule.repl
	}
	return word
}

func hasVowel(s string) bool {
	return strings.ContainsAny(s, "aeiouy")
}

// StemAll stems every term in place and returns the slice.
func StemAll(terms []string) []string {
	for i, t := range terms {
		terms[i] = Stem(t)
	}
	return terms
}

// SafeStem stems a user-supplied query word; a malformed word must never take
// a query down, so any panic falls back to the unstemmed word.
func SafeStem(word string) (out string) {
	out = word
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	return Stem(word)
}
