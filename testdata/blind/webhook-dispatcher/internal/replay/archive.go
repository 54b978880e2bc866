package replay

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/webhooks/internal/delivery"
)

// readArchive calls fn for each delivery of an archive written by
// delivery.Archive (gzip, by extension) or of a plain JSON-lines export.
func readArchive(path string, fn func(delivery.Delivery) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var src io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		src = zr
	}
	dec := json.NewDecoder(src)
	for {
		var d delivery.Delivery
		err := dec.Decode(&d)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
}

// PeekArchive returns the first delivery of a gzip archive, for the dry-run
// listing.
func PeekArchive(path string) (delivery.Delivery, error) {
	var d delivery.Delivery
	f, err := os.Open(path)
	if err != nil {
		return d, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return d, fmt.Errorf("%s: %w", path, err)
	}
	err = json.NewDecoder(zr).Decode(&d)
	return d, err
}

// ValidateAll checks in parallel that every archive decodes and returns the
// first error.
func ValidateAll(paths []string) error {
	errs := make(chan error, len(paths))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			errs <- readArchive(p, func(delivery.Delivery) error { return nil })
		}(p)
	}
	for range paths {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// WriteFailures writes the deliveries that failed again during a replay as
// JSON lines, for the incident report.
func WriteFailures(path string, failed []delivery.Delivery) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		if ferr := bw.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(bw)
	for _, d := range failed {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return nil
}

// addFile copies one file into the zip.
func addFile(zw *zip.Writer, name string) error {
	src, err := os.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := zw.Create(filepath.Base(name))
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	return err
}

// BundleIncident zips the manifest's archives into one file to attach to
// the incident ticket.
func BundleIncident(path string, files []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range files {
		if err := addFile(zw, name); err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
	}
	return nil
}

// endpointHosts returns the distinct endpoint hosts of an archive.
func endpointHosts(path string) ([]string, error) {
	seen := make(map[string]bool)
	var hosts []string
	err := readArchive(path, func(d delivery.Delivery) error {
		u, err := url.Parse(d.URL)
		if err != nil || u.Hostname() == "" || seen[u.Hostname()] {
			return nil
		}
		seen[u.Hostname()] = true
		hosts = append(hosts, u.Hostname())
		return nil
	})
	return hosts, err
}

// Preflight checks an archive before a replay: it must exist and not be
// empty, and every endpoint host must resolve. The host scan runs while the
// cheap checks are done.
func Preflight(path string, resolve func(host string) error) error {
	type scan struct {
		hosts []string
		err   error
	}
	scanned := make(chan scan)
	go func() {
		hosts, err := endpointHosts(path)
		scanned <- scan{hosts, err} // HAZ goroutine-blocked-send
	}()
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if info.Size() == 0 {
		return fmt.Errorf("%s: empty archive", path)
	}
	sc := <-scanned
	if sc.err != nil {
		return sc.err
	}
	for _, h := range sc.hosts {
		if err := resolve(h); err != nil {
			return fmt.Errorf("%s: endpoint host %s: %w", path, h, err)
		}
	}
	return nil
}

// Manifest lists the archives of one incident window.
type Manifest struct {
	Incident string    `json:"incident"`
	Files    []string  `json:"files"`
	Created  time.Time `json:"created"`
}

// LoadManifest reads a manifest; relative file names are resolved against
// the manifest's directory.
func LoadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for i, p := range m.Files {
		if !filepath.IsAbs(p) {
			m.Files[i] = filepath.Join(dir, p)
		}
	}
	return &m, nil
}

// decodeLines reads dead-letter JSON lines.
func decodeLines(r io.Reader) ([]delivery.Delivery, error) {
	var out []delivery.Delivery
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		var rec struct {
			Delivery delivery.Delivery `json:"delivery"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, err
		}
		out = append(out, rec.Delivery)
	}
	return out, sc.Err()
}

// LatestSegment returns the deliveries of the newest non-empty dead-letter
// segment: path itself, or path.1 right after a rotation.
func LatestSegment(path string) ([]delivery.Delivery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.Size() == 0 {
		// Just rotated: the data is in the previous segment.
		f, err = os.Open(path + ".1")
		if err != nil {
			return nil, err
		}
	}
	return decodeLines(f)
}

// CountDeadLetters returns the number of records in each dead-letter file,
// for the dry-run summary.
func CountDeadLetters(paths []string) (map[string]int, error) {
	out := make(map[string]int, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		ds, err := decodeLines(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = len(ds)
	}
	return out, nil
}

// ListArchives returns the archives in dir whose name sorts inside the
// [from, to] window (names are "deliveries-<RFC3339 minute>.jsonl.gz").
func ListArchives(dir string, from, to time.Time) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	lo := "deliveries-" + from.UTC().Format("2006-01-02T15:04")
	hi := "deliveries-" + to.UTC().Format("2006-01-02T15:04") + "~"
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "deliveries-") {
			continue
		}
		if name >= lo && name <= hi {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out, nil
}
