package httpapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
)

// handleList serves <module>/@v/list from the index.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	mod := r.PathValue("module")
	var sent int64
	defer func() { s.recordHit(mod+"/@v/list", sent) }()
	versions := s.idx.Versions(mod)
	if len(versions) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	n, _ := io.WriteString(w, strings.Join(versions, "\n")+"\n")
	sent = int64(n)
}

// handleCatalog lists modules in pages: ?after=<module>&n=<count>.
func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) {
	defer s.timer("catalog")()
	n := 100
	if v := r.URL.Query().Get("n"); v != "" {
		parsed, err := strconv.Atoi(v)
		if err != nil || parsed < 1 || parsed > 1000 {
			http.Error(w, "n must be between 1 and 1000", http.StatusBadRequest)
			return
		}
		n = parsed
	}
	mods := s.idx.Modules()
	after := r.URL.Query().Get("after")
	start := sort.SearchStrings(mods, after)
	if start < len(mods) && mods[start] == after {
		start++
	}
	page := mods[start:min(start+n, len(mods))]
	if start+n < len(mods) && len(page) > 0 {
		w.Header().Set("Link", fmt.Sprintf(`</catalog?after=%s&n=%d>; rel="next"`, page[len(page)-1], n))
	}
	writeJSON(w, map[string][]string{"modules": page})
}

// parseRange parses a single "bytes=a-b" range against size. Multi-range
// requests are not supported by the index endpoint.
func parseRange(h string, size int64) (start, length int64, err error) {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, 0, errors.New("unsupported range")
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, 0, errors.New("malformed range")
	}
	if first == "" {
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, errors.New("malformed suffix range")
		}
		n = min(n, size)
		return size - n, n, nil
	}
	start, err = strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 || start >= size {
		return 0, 0, errors.New("range start out of bounds")
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return 0, 0, errors.New("malformed range end")
		}
		end = min(end, size-1)
	}
	return start, end - start + 1, nil
}

// handleIndexFile serves the persisted index. Mirrors sync it incrementally
// with a Range request starting at the size they already have.
func (s *Server) handleIndexFile(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(s.indexPath)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.fetchError(w, err)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		s.fetchError(w, err)
		return
	}
	size := fi.Size()
	start, length, status := int64(0), size, http.StatusOK
	if h := r.Header.Get("Range"); h != "" {
		start, length, err = parseRange(h, size)
		if err != nil {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
			http.Error(w, err.Error(), http.StatusRequestedRangeNotSatisfiable)
			return
		}
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+length-1, size))
		status = http.StatusPartialContent
	}
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		s.fetchError(w, err)
		return
	}
	w.Header().Set("Accept-Ranges", "bytes")
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	w.WriteHeader(status)
	if _, err := io.CopyN(w, f, length); err != nil {
		s.log.Printf("httpapi: index range %d+%d: %v", start, length, err)
	}
}
