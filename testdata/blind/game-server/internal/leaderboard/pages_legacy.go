//go:build !go1.22

package leaderboard

// RenderPages renders every page of the board.
func (b *Board) RenderPages(pageSize int) []string {
	pages := paginate(b.Top(0), pageSize)
	out := make([]string, len(pages))
	for i, pg := range pages {
		out[i] = renderPage(i+1, pageSize, pg)
	}
	return out
}

// Pages returns up to count pages of the top of the board.
func (b *Board) Pages(pageSize, count int) [][]Entry {
	all := b.Top(pageSize * count)
	var out [][]Entry
	for p := 0; p < count; p++ {
		pg := pageOf(all, p, pageSize)
		if pg == nil {
			break
		}
		out = append(out, pg)
	}
	return out
}
