package trace

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"example.com/rpcservices/rpc"
)

func TestRegionEndsChildSpan(t *testing.T) {
	exp := &MemoryExporter{}
	tr := NewTracer(16, exp)
	ctx, root := tr.Start(context.Background(), "root")
	func() {
		defer Region(ctx, "child")()
	}()
	root.End()
	if err := tr.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	spans := exp.Spans()
	if len(spans) != 2 || spans[0].Name != "child" || spans[0].ParentID != root.SpanID() {
		t.Fatalf("unexpected spans: %+v", spans)
	}
}

func TestFinishOnlyOnce(t *testing.T) {
	tr := NewTracer(4, nil)
	_, s := tr.Start(context.Background(), "op")
	s.Finish(errors.New("first"))
	s.Finish(errors.New("second"))
	got := tr.Recent()
	if len(got) != 1 || got[0].Error != "first" {
		t.Fatalf("got %+v", got)
	}
}

func TestInjectExtract(t *testing.T) {
	tr := NewTracer(4, nil)
	ctx, s := tr.Start(context.Background(), "client")
	md := rpc.MD{}
	Inject(ctx, md)
	remote := Extract(context.Background(), md)
	_, child := tr.Start(remote, "server")
	if child.TraceID() != s.TraceID() {
		t.Fatalf("trace id not propagated: %s vs %s", child.TraceID(), s.TraceID())
	}
}

func TestWriteFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spans.jsonl")
	in := []SpanData{{TraceID: "t", SpanID: "a", Name: "x"}, {TraceID: "t", SpanID: "b", Name: "y"}}
	if err := WriteFile(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Name != "y" {
		t.Fatalf("got %+v", out)
	}
}
