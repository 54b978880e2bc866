package block

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"time"

	"example.com/tsdb/internal/fileutil"
	"example.com/tsdb/model"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Write persists series as a new block under parent and returns its
// directory. Files are written into "<ulid>.tmp" and renamed into place
// only once complete and fsynced.
func Write(parent string, meta Meta, series []model.Series) (string, error) {
	if meta.ULID == "" {
		meta.ULID = NewULID(time.Now())
	}
	tmp := filepath.Join(parent, meta.ULID+".tmp")
	if err := os.MkdirAll(tmp, 0o777); err != nil {
		return "", err
	}
	sum, n, err := writeChunks(filepath.Join(tmp, ChunksFilename), series)
	if err != nil {
		return "", abort(tmp, err)
	}
	if err := writeIndex(filepath.Join(tmp, IndexFilename), series); err != nil {
		return "", abort(tmp, err)
	}
	meta.Version = 1
	meta.Checksum = sum
	meta.Stats.NumSeries = uint64(len(series))
	meta.Stats.NumSamples = n
	if err := WriteMeta(tmp, &meta); err != nil {
		return "", abort(tmp, err)
	}
	if err := fileutil.SyncDir(tmp); err != nil {
		return "", abort(tmp, err)
	}
	dir := filepath.Join(parent, meta.ULID)
	if err := os.Rename(tmp, dir); err != nil {
		return "", abort(tmp, err)
	}
	return dir, fileutil.SyncDir(parent)
}

// abort removes a half-written block directory and returns err.
func abort(tmp string, err error) error {
	if rerr := os.RemoveAll(tmp); rerr != nil {
		return errors.Join(err, fmt.Errorf("cleanup %s: %w", tmp, rerr))
	}
	return err
}

// writeChunks writes all series gzip-compressed and returns the CRC32-C of
// the file and the number of samples written.
func writeChunks(path string, series []model.Series) (sum uint32, n uint64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(f, crc), 256<<10)
	zw := gzip.NewWriter(bw)
	enc := newChunkEncoder(zw)
	for _, s := range series {
		if err := enc.encodeSeries(s); err != nil {
			return 0, 0, err
		}
		n += uint64(len(s.Samples))
	}
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	if err := f.Sync(); err != nil {
		return 0, 0, err
	}
	return crc.Sum32(), n, nil
}

// writeIndex writes one line per series: its position in the chunks file
// and its labels. tsdbtool greps it without decompressing chunks.
func writeIndex(path string, series []model.Series) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	for i, s := range series {
		if _, err := fmt.Fprintf(bw, "%d %s %d\n", i, s.Labels, len(s.Samples)); err != nil {
			return err
		}
	}
	return f.Sync()
}
