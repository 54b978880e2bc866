//go:build go1.22

package leaderboard

import "sync"

// RenderPages renders every page of the board concurrently; large seasons
// have tens of thousands of entries.
func (b *Board) RenderPages(pageSize int) []string {
	pages := paginate(b.Top(0), pageSize)
	out := make([]string, len(pages))
	var wg sync.WaitGroup
	for i, pg := range pages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = renderPage(i+1, pageSize, pg)
		}()
	}
	wg.Wait()
	return out
}

// Pages returns up to count pages of the top of the board, built
// concurrently, stopping at the first empty page.
func (b *Board) Pages(pageSize, count int) [][]Entry {
	all := b.Top(pageSize * count)
	out := make([][]Entry, count)
	var wg sync.WaitGroup
	var p int
	for p = 0; p < count && p*pageSize < len(all); p++ {
		wg.Add(1)
		go func() { defer wg.Done(); out[p] = pageOf(all, p, pageSize) }() // HAZ loop-var-capture
	}
	wg.Wait()
	return out[:p]
}
