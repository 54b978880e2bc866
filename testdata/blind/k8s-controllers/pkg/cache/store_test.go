package cache

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

func newWidget(ns, name, rv string) *api.Widget {
	return &api.Widget{ObjectMeta: api.ObjectMeta{Namespace: ns, Name: name, ResourceVersion: rv}}
}

func TestStoreAddGetList(t *testing.T) {
	s := NewStore(Indexers{NamespaceIndex: MetaNamespaceIndexFunc})
	for _, w := range []*api.Widget{newWidget("a", "one", "1"), newWidget("a", "two", "2"), newWidget("b", "one", "3")} {
		if err := s.Add(w); err != nil {
			t.Fatalf("Add(%s): %v", w.Key(), err)
		}
	}
	if got := s.Len(); got != 3 {
		t.Fatalf("Len = %d, want 3", got)
	}
	if _, ok := s.Get("a/two"); !ok {
		t.Fatal("a/two missing")
	}
	keys, err := s.IndexKeys(NamespaceIndex, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0] != "a/one" || keys[1] != "a/two" {
		t.Fatalf("IndexKeys = %v", keys)
	}
	if rv := s.ResourceVersion(); rv != "3" {
		t.Fatalf("ResourceVersion = %q, want 3", rv)
	}
}

func TestStoreUpdateUnknown(t *testing.T) {
	s := NewStore(nil)
	if err := s.Update(newWidget("a", "ghost", "1")); err == nil {
		t.Fatal("Update of a missing object succeeded")
	}
}

func TestWriteSnapshot(t *testing.T) {
	s := NewStore(nil)
	for i, name := range []string{"x", "y"} {
		if err := s.Add(newWidget("ns", name, string(rune('1'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "snap.json.gz")
	if err := s.WriteSnapshot(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(zr)
	n := 0
	for {
		var w api.Widget
		if err := dec.Decode(&w); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("snapshot holds %d objects, want 2", n)
	}
}

func TestChanWatcherSendAfterStop(t *testing.T) {
	w := NewChanWatcher(0)
	w.Stop()
	w.Stop()
	done := make(chan bool, 1)
	go func() { done <- w.Send(Event{Type: Added, Object: newWidget("a", "b", "1")}) }()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("Send succeeded on a stopped watcher")
		}
	case <-time.After(time.Second):
		t.Fatal("Send blocked on a stopped watcher")
	}
}

func TestInformerDispatchRecoversHandlerPanic(t *testing.T) {
	inf := NewInformer(ListWatchFuncs{}, NewStore(nil), 0, nil)
	var got []string
	inf.AddEventHandler(HandlerFuncs{AddFunc: func(api.Object) { panic("boom") }})
	inf.AddEventHandler(HandlerFuncs{AddFunc: func(obj api.Object) { got = append(got, obj.GetMeta().Key()) }})
	inf.distribute(notification{typ: Added, obj: newWidget("a", "b", "1")})
	if len(got) != 1 || got[0] != "a/b" {
		t.Fatalf("second handler saw %v", got)
	}
}
