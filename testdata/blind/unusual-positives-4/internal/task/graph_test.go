package task

import (
	"errors"
	"reflect"
	"testing"
)

func TestNewGraphOrder(t *testing.T) {
	g, err := NewGraph(
		&Shell{Name: "link", Needs: []string{"compile", "assets"}},
		&Shell{Name: "compile", Needs: []string{"gen"}},
		&Shell{Name: "gen"},
		&Shell{Name: "assets"},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"assets", "gen", "compile", "link"}
	if got := g.Order(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Order() = %v, want %v", got, want)
	}
}

func TestNewGraphCycle(t *testing.T) {
	_, err := NewGraph(
		&Shell{Name: "a", Needs: []string{"b"}},
		&Shell{Name: "b", Needs: []string{"a"}},
	)
	if !errors.Is(err, ErrCycle) {
		t.Fatalf("err = %v, want ErrCycle", err)
	}
}
