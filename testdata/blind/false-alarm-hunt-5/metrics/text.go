package metrics

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

var escaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func writeLabels(w *bufio.Writer, pairs ...[]LabelPair) {
	first := true
	for _, ps := range pairs {
		for _, p := range ps {
			if first {
				w.WriteByte('{')
				first = false
			} else {
				w.WriteByte(',')
			}
			w.WriteString(p.Name)
			w.WriteString(`="`)
			w.WriteString(escaper.Replace(p.Value))
			w.WriteByte('"')
		}
	}
	if !first {
		w.WriteByte('}')
	}
}

// WriteText writes families in the text exposition format. The buffered
// writer is flushed explicitly and its error returned.
func WriteText(out io.Writer, fams []*Family) error {
	w := bufio.NewWriter(out)
	for _, f := range fams {
		if f.Help != "" {
			w.WriteString("# HELP " + f.Name + " " + strings.ReplaceAll(f.Help, "\n", `\n`) + "\n")
		}
		w.WriteString("# TYPE " + f.Name + " " + f.Type.String() + "\n")
		for _, s := range f.Samples {
			w.WriteString(f.Name + s.Suffix)
			writeLabels(w, s.Desc.ConstPairs, s.Labels)
			w.WriteByte(' ')
			w.WriteString(formatValue(s.Value))
			w.WriteByte('\n')
		}
	}
	return w.Flush()
}

// Handler serves the registry over HTTP.
type Handler struct {
	Reg    *Registry
	Logger *log.Logger
}

// ServeHTTP gathers and writes the text format, gzipped when accepted.
// The gzip writer is closed explicitly and a failure is logged.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fams, err := h.Reg.Gather()
	if err != nil && len(fams) == 0 {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err != nil {
		h.Logger.Printf("metrics: partial gather: %v", err)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if err := WriteText(w, fams); err != nil {
			h.Logger.Printf("metrics: writing response: %v", err)
		}
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	gz := gzip.NewWriter(w)
	werr := WriteText(gz, fams)
	if cerr := gz.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		h.Logger.Printf("metrics: writing gzipped response: %v", werr)
	}
}

// WriteTextfile writes the gathered families for a node-exporter style
// textfile collector.
func WriteTextfile(reg *Registry, path string) (err error) {
	fams, err := reg.Gather()
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	return WriteText(bw, fams)
}

// WriteTextfileAtomic writes to a temp file and renames it into place so
// the collector never reads a partial file. Every close and flush error is
// checked before the rename.
func WriteTextfileAtomic(reg *Registry, path string) error {
	fams, err := reg.Gather()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".metrics-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := WriteText(bw, fams); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
