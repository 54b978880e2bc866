package watchdog

import (
	"testing"
	"time"
)

func TestPauseResume(t *testing.T) {
	w := New(time.Hour, func() {})
	resume := w.Pause()
	if !w.Paused() {
		t.Fatal("not paused after Pause")
	}
	if w.armed() {
		t.Fatal("armed while paused")
	}
	resume()
	resume()
	if w.Paused() {
		t.Fatal("still paused after resume")
	}
}

func TestKickNeverBlocks(t *testing.T) {
	w := New(time.Hour, func() {})
	for i := 0; i < 10; i++ {
		w.Kick()
	}
	if r := w.Remaining(); r <= 0 || r > time.Hour {
		t.Fatalf("Remaining = %v", r)
	}
}

func TestDisarm(t *testing.T) {
	w := New(time.Hour, func() {})
	w.Disarm()
	if w.armed() {
		t.Fatal("armed after Disarm")
	}
}
