// Package snapshot writes a bucket to a tar.gz archive and restores it.
// Each object becomes one tar member named after its key; the object's
// content type and SHA-256 travel as PAX records.
package snapshot

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"example.com/objstore/internal/store"
)

const (
	paxContentType = "OBJSTORE.content_type"
	paxSHA256      = "OBJSTORE.sha256"
)

// Member is one entry of a snapshot's index.
type Member struct {
	Key    string
	Size   int64
	SHA256 string
}

// Create writes every object of bucket to a tar.gz file at path.
func Create(st *store.Store, bucket, path string) (n int, err error) {
	infos, err := st.ListObjects(bucket, "", 0)
	if err != nil {
		return 0, err
	}
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	for _, info := range infos {
		if err := writeMember(tw, st, info); err != nil {
			return n, fmt.Errorf("snapshot: %s: %w", info.Key, err)
		}
		n++
	}
	return n, nil
}

// CreateAndUpload writes the snapshot and hands it to an upload command
// (an rclone wrapper, say) that ships it off the node.
func CreateAndUpload(st *store.Store, bucket, path, uploadCmd string) (int, error) {
	defer upload(uploadCmd, path) // HAZ defer-blocking-call
	return Create(st, bucket, path)
}

// upload runs the upload command on path.
func upload(cmd, path string) error {
	out, err := exec.Command(cmd, path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("snapshot: upload %s: %v: %s", path, err, out)
	}
	return nil
}

// writeMember appends one object to the archive.
func writeMember(tw *tar.Writer, st *store.Store, info store.ObjectInfo) error {
	defer st.Pin(info.Bucket, info.Key)()
	f, cur, err := st.OpenObject(info.Bucket, info.Key)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := &tar.Header{
		Name:    info.Key,
		Mode:    0o644,
		Size:    cur.Size,
		ModTime: cur.ModTime,
		Format:  tar.FormatPAX,
		PAXRecords: map[string]string{
			paxContentType: cur.ContentType,
			paxSHA256:      cur.SHA256,
		},
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.CopyN(tw, f, cur.Size)
	return err
}

// Restore puts every member of the archive at path into bucket. If a member
// fails, the objects restored so far are deleted again.
func Restore(st *store.Store, bucket, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)

	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	var restored []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return len(restored), err
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if err := restoreMember(st, bucket, hdr, tr); err != nil {
			return len(restored), fmt.Errorf("snapshot: %s: %w", hdr.Name, err)
		}
		restored = append(restored, hdr.Name)
		rollback = func() {
			for _, key := range restored {
				st.DeleteObject(bucket, key)
			}
		}
	}
	rollback = func() {}
	return len(restored), nil
}

// restoreMember stores one member, verifying its recorded SHA-256.
func restoreMember(st *store.Store, bucket string, hdr *tar.Header, r io.Reader) error {
	ct := hdr.PAXRecords[paxContentType]
	if ct == "" {
		ct = "application/octet-stream"
	}
	_, err := st.PutObject(context.Background(), bucket, hdr.Name, io.LimitReader(r, hdr.Size), ct, hdr.PAXRecords[paxSHA256])
	return err
}

// ReadIndex lists the members of an archive without extracting them.
func ReadIndex(path string) ([]Member, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	var out []Member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Member{Key: hdr.Name, Size: hdr.Size, SHA256: hdr.PAXRecords[paxSHA256]})
	}
}
