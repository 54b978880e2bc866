package schema

import (
	"os"
	"path/filepath"
	"testing"
)

func userView() *Schema {
	return &Schema{
		Name:   "user_profile",
		Entity: "user",
		Fields: []Field{{Name: "age", Type: "int64"}, {Name: "country", Type: "string"}},
	}
}

func TestRegisterAndReopen(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Register(userView()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Evolve("user_profile", Field{Name: "ltv", Type: "float64", Nullable: true}); err != nil {
		t.Fatal(err)
	}
	r2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := r2.Latest("user_profile")
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != 2 || len(s.Fields) != 3 {
		t.Fatalf("latest = v%d with %d fields", s.Version, len(s.Fields))
	}
}

func TestCompatibleRejectsRetype(t *testing.T) {
	prev := userView()
	next := userView()
	next.Fields[0].Type = "float64"
	if err := Compatible(prev, next); err == nil {
		t.Fatal("retyped field accepted")
	}
}

func TestOpenSkipsStrayFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if names := r.Names(); len(names) != 0 {
		t.Fatalf("Names = %v", names)
	}
}
