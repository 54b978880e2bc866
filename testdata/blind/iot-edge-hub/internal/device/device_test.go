package device

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		in     string
		metric string
		value  float64
		ok     bool
	}{
		{"temp=21.5", "temp", 21.5, true},
		{" hum = 40 ", "hum", 40, true},
		{"=3", "", 0, false},
		{"garbage", "", 0, false},
		{"temp=warm", "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			m, v, err := ParseLine(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseLine(%q) err = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if tc.ok && (m != tc.metric || v != tc.value) {
				t.Fatalf("ParseLine(%q) = %q, %v", tc.in, m, v)
			}
		})
	}
}

func TestReadStream(t *testing.T) {
	d := New("t1", "thermo", nil)
	out := make(chan Sample, 8)
	r := NewReader(d, out)
	fixed := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	r.now = func() time.Time { return fixed }

	err := r.ReadStream(context.Background(), strings.NewReader("temp=21.5\nbad\nhum=40\n"))
	if err != nil {
		t.Fatal(err)
	}
	close(out)
	var got []string
	for s := range out {
		got = append(got, s.Metric)
	}
	if strings.Join(got, ",") != "temp,hum" {
		t.Fatalf("metrics = %v", got)
	}
	if st := d.Snapshot(); st.Errors != 1 || !st.LastSeen.Equal(fixed) {
		t.Fatalf("status = %+v", st)
	}
}

func TestPollOnce(t *testing.T) {
	ok := New("ok", "thermo", SourceFunc(func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("x")), nil
	}))
	broken := New("broken", "thermo", SourceFunc(func() (io.ReadCloser, error) {
		return nil, errors.New("no such port")
	}))
	failed := PollOnce(context.Background(), []*Device{ok, broken})
	if len(failed) != 1 || failed["broken"] == nil {
		t.Fatalf("failed = %v", failed)
	}
}

func TestMergeWaitClosesAfterInputs(t *testing.T) {
	a := make(chan Sample, 1)
	b := make(chan Sample, 1)
	a <- Sample{Device: "a"}
	b <- Sample{Device: "b"}
	close(a)
	close(b)
	n := 0
	for range MergeWait(context.Background(), a, b) {
		n++
	}
	if n != 2 {
		t.Fatalf("got %d samples, want 2", n)
	}
}
