package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/objstore/internal/obs"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), obs.NewRegistry(), log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := st.Buckets().Create("photos", time.Now()); err != nil {
		t.Fatalf("Create bucket: %v", err)
	}
	return st
}

func TestParseRange(t *testing.T) {
	cases := []struct {
		header  string
		want    ByteRange
		partial bool
		wantErr bool
	}{
		{"", ByteRange{0, 99}, false, false},
		{"bytes=0-9", ByteRange{0, 9}, true, false},
		{"bytes=90-", ByteRange{90, 99}, true, false},
		{"bytes=-10", ByteRange{90, 99}, true, false},
		{"bytes=50-500", ByteRange{50, 99}, true, false},
		{"bytes=100-", ByteRange{}, false, true},
		{"bytes=5-1", ByteRange{}, false, true},
		{"bytes=0-1,4-5", ByteRange{}, false, true},
		{"items=0-1", ByteRange{}, false, true},
	}
	for _, tc := range cases {
		got, partial, err := ParseRange(tc.header, 100)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseRange(%q): err = %v, wantErr %v", tc.header, err, tc.wantErr)
			continue
		}
		if tc.wantErr {
			continue
		}
		if got != tc.want || partial != tc.partial {
			t.Errorf("ParseRange(%q) = %+v,%v; want %+v,%v", tc.header, got, partial, tc.want, tc.partial)
		}
	}
}

func TestPutAndReadRange(t *testing.T) {
	st := newTestStore(t)
	body := strings.Repeat("0123456789", 100)
	info, err := st.PutObject(context.Background(), "photos", "2024/cat.jpg", strings.NewReader(body), "image/jpeg", "")
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	sum := md5.Sum([]byte(body))
	if info.ETag != hex.EncodeToString(sum[:]) {
		t.Errorf("ETag = %s", info.ETag)
	}
	var buf bytes.Buffer
	n, err := st.ReadRange("photos", "2024/cat.jpg", ByteRange{Start: 10, End: 19}, &buf)
	if err != nil || n != 10 {
		t.Fatalf("ReadRange = %d, %v", n, err)
	}
	if buf.String() != "0123456789" {
		t.Errorf("range content = %q", buf.String())
	}
}

func TestMultipartComplete(t *testing.T) {
	st := newTestStore(t)
	u, err := st.CreateUpload("photos", "big.bin")
	if err != nil {
		t.Fatalf("CreateUpload: %v", err)
	}
	var parts []CompletedPart
	for i, chunk := range []string{"first-part|", "second-part|", "third"} {
		pi, err := st.PutPart(context.Background(), u.ID, i+1, strings.NewReader(chunk))
		if err != nil {
			t.Fatalf("PutPart %d: %v", i+1, err)
		}
		parts = append(parts, CompletedPart{Number: pi.Number, ETag: pi.ETag})
	}
	info, err := st.CompleteUpload(u.ID, parts)
	if err != nil {
		t.Fatalf("CompleteUpload: %v", err)
	}
	if !strings.HasSuffix(info.ETag, "-3") {
		t.Errorf("multipart ETag = %s", info.ETag)
	}
	data, err := os.ReadFile(st.ObjectPath("photos", "big.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "first-part|second-part|third" {
		t.Errorf("assembled = %q", data)
	}
	if _, err := os.Stat(filepath.Join(st.UploadsDir(), u.ID)); !os.IsNotExist(err) {
		t.Errorf("upload dir still present: %v", err)
	}
}
