package store

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"time"
)

// ExportManifest writes a gzip-compressed JSON-lines inventory of bucket to
// path. Peers use it to bootstrap anti-entropy.
func (s *Store) ExportManifest(bucket, path string) (err error) {
	infos, err := s.ListObjects(bucket, "", 0)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	enc := json.NewEncoder(zw)
	for _, info := range infos {
		if err := enc.Encode(info); err != nil {
			return err
		}
	}
	return nil
}

// ImportManifest reads a manifest written by ExportManifest.
func ImportManifest(path string) ([]ObjectInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	dec := json.NewDecoder(zr)
	var out []ObjectInfo
	for {
		var info ObjectInfo
		err := dec.Decode(&info)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
}

// WriteInventoryCSV writes one CSV row per object of bucket to w.
func (s *Store) WriteInventoryCSV(bucket string, w io.Writer) error {
	infos, err := s.ListObjects(bucket, "", 0)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "size", "etag", "sha256", "modified"}); err != nil {
		return err
	}
	for _, info := range infos {
		row := []string{info.Key, strconv.FormatInt(info.Size, 10), info.ETag, info.SHA256, info.ModTime.Format(time.RFC3339)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SaveInventory writes the CSV inventory of bucket to a file.
func (s *Store) SaveInventory(bucket, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	if err := s.WriteInventoryCSV(bucket, bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// SaveInventoryGzip writes the CSV inventory of bucket gzip-compressed.
func (s *Store) SaveInventoryGzip(bucket, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return s.WriteInventoryCSV(bucket, zw)
}

// DiffManifest compares a local listing with a peer's: missing are objects
// the peer lacks, stale are those it holds with different content.
func DiffManifest(local, remote []ObjectInfo) (missing, stale []ObjectInfo) {
	byKey := make(map[string]ObjectInfo, len(remote))
	for _, r := range remote {
		byKey[r.Bucket+"/"+r.Key] = r
	}
	for _, l := range local {
		r, ok := byKey[l.Bucket+"/"+l.Key]
		switch {
		case !ok:
			missing = append(missing, l)
		case r.SHA256 != l.SHA256 && r.ModTime.Before(l.ModTime):
			stale = append(stale, l)
		}
	}
	return missing, stale
}
