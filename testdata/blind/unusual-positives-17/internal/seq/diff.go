package seq

import (
	"fmt"
	"os"
	"slices"
)

// DiffFiles returns the lines that appear in b but not in a.
func DiffFiles(a, b string) ([]string, error) {
	f, err := os.Open(a)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	left, err := readLines(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", a, err)
	}

	f, err = os.Open(b)
	if err != nil {
		return nil, err
	}
	right, err := readLines(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", b, err)
	}
	return missing(left, right), nil
}

// SameLines reports whether a and b hold the same set of lines. Each file
// has its own variable and its own deferred close.
func SameLines(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()

	left, err := readLines(fa)
	if err != nil {
		return false, err
	}
	right, err := readLines(fb)
	if err != nil {
		return false, err
	}
	return len(missing(left, right)) == 0 && len(missing(right, left)) == 0, nil
}

// missing returns the elements of want that are not in have.
func missing(have, want []string) []string {
	sorted := slices.Clone(have)
	slices.Sort(sorted)
	var out []string
	for _, w := range want {
		if _, found := slices.BinarySearch(sorted, w); !found {
			out = append(out, w)
		}
	}
	return out
}
