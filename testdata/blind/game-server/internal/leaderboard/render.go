package leaderboard

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// paginate splits entries into pages of size n.
func paginate(all []Entry, n int) [][]Entry {
	if n <= 0 {
		n = 20
	}
	var pages [][]Entry
	for len(all) > 0 {
		k := n
		if k > len(all) {
			k = len(all)
		}
		pages = append(pages, all[:k])
		all = all[k:]
	}
	return pages
}

// pageOf returns page p (0-based) of all, or nil past the end.
func pageOf(all []Entry, p, size int) []Entry {
	lo := p * size
	if lo >= len(all) {
		return nil
	}
	hi := lo + size
	if hi > len(all) {
		hi = len(all)
	}
	return all[lo:hi]
}

// renderPage formats one page as an aligned text table.
func renderPage(num, size int, entries []Entry) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "page %d\n", num)
	tw := tabwriter.NewWriter(&sb, 0, 4, 2, ' ', 0)
	for i, e := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d/%d\n", (num-1)*size+i+1, e.Player, e.Score, e.Wins, e.Played)
	}
	tw.Flush()
	return sb.String()
}
