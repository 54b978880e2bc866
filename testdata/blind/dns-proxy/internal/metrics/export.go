package metrics

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
)

// WriteText renders every metric in a Prometheus-like text format.
func (r *Registry) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	snap := r.Snapshot()
	names := make([]string, 0, len(snap))
	for name := range snap {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(bw, "%s %d\n", name, snap[name])
	}
	hnames, hists := r.histograms()
	for i, h := range hists {
		counts, sum, n := h.snapshot()
		var cum uint64
		for j, c := range counts {
			cum += c
			le := "+Inf"
			if j < len(h.bounds) {
				le = strconv.FormatFloat(h.bounds[j], 'g', -1, 64)
			}
			fmt.Fprintf(bw, "%s_bucket{le=%q} %d\n", hnames[i], le, cum)
		}
		fmt.Fprintf(bw, "%s_sum %g\n%s_count %d\n", hnames[i], sum, hnames[i], n)
	}
	return bw.Flush()
}

// Export writes the text exposition and, if a sink is configured, pushes
// the same counter snapshot to it once the text has been written.
func (r *Registry) Export(w io.Writer) error {
	push := func() {}
	defer push() // HAZ defer-eager-evaluation
	r.mu.RLock()
	sink := r.sink
	r.mu.RUnlock()
	if sink != nil {
		snap := r.Snapshot()
		push = func() { sink(snap) }
	}
	return r.WriteText(w)
}

// Handler serves the text exposition over HTTP.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		if err := r.WriteText(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}
