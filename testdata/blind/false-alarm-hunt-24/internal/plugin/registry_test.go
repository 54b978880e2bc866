package plugin

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type fakePlugin struct {
	name  string
	files []File
	panic bool
}

func (f *fakePlugin) Name() string { return f.name }

func (f *fakePlugin) Generate(ctx context.Context, in *Input) ([]File, error) {
	if f.panic {
		panic("generator bug")
	}
	return f.files, nil
}

func (f *fakePlugin) Validate(ctx context.Context, in *Input) error {
	if f.panic {
		panic("validator bug")
	}
	if in.Package == "" {
		return errors.New("empty package")
	}
	return nil
}

func TestLoadRecoversConstructorPanic(t *testing.T) {
	r := NewRegistry(nil)
	if err := r.Register("bad", func() (Plugin, error) { panic("init failed") }); err != nil {
		t.Fatal(err)
	}
	_, err := r.Load("bad")
	if err == nil || !strings.Contains(err.Error(), "constructor panicked") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunRecoversGeneratePanic(t *testing.T) {
	r := NewRegistry(nil)
	r.Register("p", func() (Plugin, error) { return &fakePlugin{name: "p", panic: true}, nil })
	_, err := r.Run(context.Background(), "p", &Input{Package: "x"})
	if err == nil || !strings.Contains(err.Error(), "generator bug") {
		t.Fatalf("err = %v", err)
	}
}

func TestValidateAllIsolatesPanics(t *testing.T) {
	r := NewRegistry(nil)
	r.Register("good", func() (Plugin, error) { return &fakePlugin{name: "good"}, nil })
	r.Register("bad", func() (Plugin, error) { return &fakePlugin{name: "bad", panic: true}, nil })
	if n := r.Warmup(); n != 2 {
		t.Fatalf("warmed up %d plugins, want 2", n)
	}
	err := r.ValidateAll(context.Background(), &Input{Package: "x"})
	if err == nil || !strings.Contains(err.Error(), "validator bug") {
		t.Fatalf("err = %v", err)
	}
}
