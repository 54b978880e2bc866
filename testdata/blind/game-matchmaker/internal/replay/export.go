package replay

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strconv"
)

var csvHeader = []string{"tick", "player", "action", "x", "y"}

func frameRecord(fr Frame) []string {
	return []string{
		strconv.FormatUint(uint64(fr.Tick), 10),
		fr.PlayerID,
		fr.Action,
		strconv.FormatFloat(float64(fr.X), 'f', 2, 32),
		strconv.FormatFloat(float64(fr.Y), 'f', 2, 32),
	}
}

// ExportCSV writes the frames of r to a CSV file for analysts.
func ExportCSV(path string, r *Replay) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, fr := range r.Frames {
		if err := cw.Write(frameRecord(fr)); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV streams the frames to w; the final flush is checked through
// cw.Error on the success path.
func WriteCSV(w io.Writer, r *Replay) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, fr := range r.Frames {
		if err := cw.Write(frameRecord(fr)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
