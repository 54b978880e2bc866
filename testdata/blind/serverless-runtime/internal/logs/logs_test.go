package logs

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRingKeepsNewest(t *testing.T) {
	r := NewRing(3)
	base := time.Now()
	for i := 0; i < 5; i++ {
		r.Write(Line{Sandbox: "s", Text: fmt.Sprint(i), Time: base.Add(time.Duration(i) * time.Second)})
	}
	got := r.Since(base)
	if len(got) != 3 || got[0].Text != "2" || got[2].Text != "4" {
		t.Errorf("Since = %+v", got)
	}
	if n := r.Len(); n != 3 {
		t.Errorf("Len = %d", n)
	}
}

func TestCaptureCopiesLines(t *testing.T) {
	var mu sync.Mutex
	var got []string
	c := NewCapture(SinkFunc(func(l Line) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, l.Stream+":"+l.Text)
	}), 0)
	c.Attach("sb1", "stdout", strings.NewReader("a\nb\n"))
	w := c.Writer("sb1", "stderr")
	if _, err := io.WriteString(w, "oops\n"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !c.WaitTimeout(time.Second) {
		t.Fatal("capture did not finish")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 {
		t.Errorf("got %v", got)
	}
}
