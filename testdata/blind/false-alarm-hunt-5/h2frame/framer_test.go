package h2frame

import (
	"bytes"
	"testing"
)

func TestDataFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	fr := NewFramer(&buf, &buf)
	if err := fr.WriteData(1, true, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	f, err := fr.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	df, ok := f.(*DataFrame)
	if !ok || string(df.Data) != "hello" || !df.StreamEnded() {
		t.Fatalf("got %#v", f)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	fr := NewFramer(&buf, &buf)
	if err := fr.WriteSettings(Setting{SettingInitialWindowSize, 1 << 20}, Setting{SettingMaxFrameSize, 1 << 15}); err != nil {
		t.Fatal(err)
	}
	f, err := fr.ReadFrame()
	if err != nil {
		t.Fatal(err)
	}
	sf := f.(*SettingsFrame)
	if len(sf.Settings) != 2 || sf.Settings[0].Val != 1<<20 {
		t.Fatalf("settings = %+v", sf.Settings)
	}
}

func TestOversizedFrameRejected(t *testing.T) {
	var buf bytes.Buffer
	fr := NewFramer(&buf, &buf)
	fr.SetMaxReadFrameSize(4)
	if err := fr.WriteData(1, false, []byte("too long")); err != nil {
		t.Fatal(err)
	}
	if _, err := fr.ReadFrame(); err == nil {
		t.Fatal("oversized frame accepted")
	}
}

func TestFlowTakeAndAdd(t *testing.T) {
	f := newFlow(10)
	n, err := f.take(25)
	if err != nil || n != 10 {
		t.Fatalf("take = %d, %v", n, err)
	}
	done := make(chan int64, 1)
	go func() {
		n, _ := f.take(5)
		done <- n
	}()
	if err := f.add(3); err != nil {
		t.Fatal(err)
	}
	if got := <-done; got != 3 {
		t.Fatalf("second take = %d", got)
	}
}
