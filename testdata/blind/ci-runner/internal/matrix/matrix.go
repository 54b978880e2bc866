// Package matrix expands build matrices ("go: [1.21, 1.22] x os: [linux,
// darwin]") into combinations and runs them.
package matrix

import (
	"sort"
	"strings"
)

// Combo is one cell of a matrix: axis name to value.
type Combo map[string]string

// String renders the combo as "a=1,b=2" with sorted axis names.
func (c Combo) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + c[k]
	}
	return strings.Join(parts, ",")
}

// Expand returns every combination of the axes' values, in a stable order.
func Expand(axes map[string][]string) []Combo {
	names := make([]string, 0, len(axes))
	for name := range axes {
		names = append(names, name)
	}
	sort.Strings(names)
	combos := []Combo{{}}
	for _, name := range names {
		var next []Combo
		for _, c := range combos {
			for _, v := range axes[name] {
				n := make(Combo, len(c)+1)
				for k, x := range c {
					n[k] = x
				}
				n[name] = v
				next = append(next, n)
			}
		}
		combos = next
	}
	return combos
}
