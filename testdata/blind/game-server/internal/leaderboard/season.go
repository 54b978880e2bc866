package leaderboard

import (
	"bufio"
	"fmt"
	"io"
)

// Decay scales every score by factor at the weekly reset so that inactive
// players drift down the board.
func (b *Board) Decay(factor float64) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if factor <= 0 || factor > 1 {
		return fmt.Errorf("leaderboard: decay factor %v out of range (0,1]", factor)
	}
	for _, e := range b.entries {
		e.Score = int64(float64(e.Score) * factor)
	}
	b.mu.Unlock()
	return nil
}

// Dump writes the board as plain text (debug endpoint, support tickets).
func (b *Board) Dump(w io.Writer) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for i, e := range b.Top(0) {
		if _, err := fmt.Fprintf(bw, "%5d  %-24s %8d\n", i+1, e.Player, e.Score); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes the final standings for the season archive.
func (b *Board) WriteTable(w io.Writer, season string) error {
	bw := bufio.NewWriter(w)
	if _, err := fmt.Fprintf(bw, "season %s\n", season); err != nil {
		return err
	}
	for i, e := range b.Top(0) {
		if _, err := fmt.Fprintf(bw, "%5d  %-24s %8d %4d/%d\n", i+1, e.Player, e.Score, e.Wins, e.Played); err != nil {
			return err
		}
	}
	return bw.Flush()
}
