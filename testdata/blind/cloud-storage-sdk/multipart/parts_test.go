package multipart

import (
	"bytes"
	"strings"
	"testing"
)

func TestSplitParts(t *testing.T) {
	cases := []struct {
		size, partSize int64
		wantParts      int
		wantLast       int64
	}{
		{0, MinPartSize, 1, 0},
		{MinPartSize, MinPartSize, 1, MinPartSize},
		{MinPartSize + 1, MinPartSize, 2, 1},
		{3 * MinPartSize, MinPartSize, 3, MinPartSize},
	}
	for _, tc := range cases {
		parts, err := SplitParts(tc.size, tc.partSize)
		if err != nil {
			t.Fatalf("SplitParts(%d, %d): %v", tc.size, tc.partSize, err)
		}
		if len(parts) != tc.wantParts || parts[len(parts)-1].Size != tc.wantLast {
			t.Errorf("SplitParts(%d, %d) = %v", tc.size, tc.partSize, parts)
		}
	}
}

func TestSplitPartsRejectsSmallParts(t *testing.T) {
	if _, err := SplitParts(100, 1024); err == nil {
		t.Fatal("part size below the minimum accepted")
	}
}

func TestOptimalPartSizeStaysUnderLimit(t *testing.T) {
	for _, size := range []int64{1, 1 << 30, 100 << 30, 4 << 40} {
		ps := OptimalPartSize(size)
		if size/ps >= MaxParts {
			t.Errorf("OptimalPartSize(%d) = %d gives too many parts", size, ps)
		}
	}
}

func TestCompleteBodyNeedsETags(t *testing.T) {
	if _, err := completeBody([]Part{{Number: 1}}); err == nil {
		t.Fatal("completeBody accepted a part without ETag")
	}
	body, err := completeBody([]Part{{Number: 2, ETag: "b"}, {Number: 1, ETag: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"partNumber":1,"etag":"a"},{"partNumber":2`) {
		t.Fatalf("parts not sorted: %s", body)
	}
}

func TestPrefetchRangesCopied(t *testing.T) {
	data := bytes.Repeat([]byte("ab"), 8)
	parts := []Part{{Number: 1, Offset: 0, Size: 8}, {Number: 2, Offset: 8, Size: 8}}
	got, err := PrefetchRangesCopied(bytes.NewReader(data), parts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.Join(got, nil), data) {
		t.Fatalf("PrefetchRangesCopied = %q", got)
	}
}

func TestBufferPoolReuse(t *testing.T) {
	bp := NewBufferPool(16)
	buf, release := bp.Get()
	defer release()
	if len(buf) != 16 {
		t.Fatalf("buffer length %d", len(buf))
	}
}
