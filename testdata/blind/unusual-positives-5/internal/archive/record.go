// Package archive reads and writes record files: plain, gzip-compressed and
// JSON-lines, and ships them to remote collectors.
package archive

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Record is one key/value pair as stored on disk.
type Record struct {
	Key   string
	Value []byte
}

// encode writes recs as "key<TAB>hex(value)" lines.
func encode(w io.Writer, recs []Record) error {
	for _, r := range recs {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", r.Key, hex.EncodeToString(r.Value)); err != nil {
			return err
		}
	}
	return nil
}

// decodeAll parses the format written by encode.
func decodeAll(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			return out, fmt.Errorf("line %d: missing tab", line)
		}
		val, err := hex.DecodeString(v)
		if err != nil {
			return out, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, Record{Key: k, Value: val})
	}
	return out, sc.Err()
}
