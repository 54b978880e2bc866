package backup

import (
	"bytes"
	"strings"
)

// bytesBuffer collects the tab-separated export of one table.
type bytesBuffer struct {
	bytes.Buffer
}

// rows splits the buffer into rows of fields, dropping the table column
// that the exporter writes first.
func (b *bytesBuffer) rows() [][]string {
	var out [][]string
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		fields := strings.Split(line, "\t")
		out = append(out, fields[1:])
	}
	return out
}
