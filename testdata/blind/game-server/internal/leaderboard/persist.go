package leaderboard

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// SaveJSON writes the full board to path.
func (b *Board) SaveJSON(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(b.Top(0))
}

// LoadJSON reads a board written by SaveJSON. A missing file yields an
// empty board.
func LoadJSON(path string) (*Board, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return New(), nil
		}
		return nil, err
	}
	defer f.Close()
	var entries []Entry
	if err := json.NewDecoder(f).Decode(&entries); err != nil {
		return nil, fmt.Errorf("leaderboard: %s: %w", path, err)
	}
	b := New()
	for i := range entries {
		e := entries[i]
		b.entries[e.Player] = &e
	}
	return b, nil
}

// SaveCSV exports the board for the community site.
func (b *Board) SaveCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() error { return f.Close() }() // HAZ defer-ineffective-return

	w := csv.NewWriter(f)
	if err := w.Write([]string{"rank", "player", "score", "wins", "played"}); err != nil {
		return err
	}
	for i, e := range b.Top(0) {
		row := []string{strconv.Itoa(i + 1), e.Player, strconv.FormatInt(e.Score, 10), strconv.Itoa(e.Wins), strconv.Itoa(e.Played)}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Sync()
}
