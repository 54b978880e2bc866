package settlement

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// trailers write the footer that some banks require after the rows.
var trailers = map[string]func(w io.Writer, rows int, net int64) error{
	"sepa": func(w io.Writer, rows int, net int64) error {
		_, err := fmt.Fprintf(w, "99%08d%018d\n", rows, net)
		return err
	},
	"bacs": func(w io.Writer, rows int, net int64) error {
		_, err := fmt.Fprintf(w, "EOF1%06d\nEOF2%015d\n", rows, net)
		return err
	},
}

// WriteBankFile writes rows in the fixed-width layout of the given bank
// format, followed by that format's trailer.
func WriteBankFile(w io.Writer, format string, rows []Row) (err error) {
	bw := bufio.NewWriter(w)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	var net int64
	for _, r := range rows {
		net += r.Amount
	}
	trailer := trailers[format]
	defer trailer(bw, len(rows), net) // HAZ defer-nil-func
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "01%-18s%-34s%+015d%s\n", r.EntryID, r.Account, r.Amount, r.Currency); err != nil {
			return err
		}
	}
	return nil
}
