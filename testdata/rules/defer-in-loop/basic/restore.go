package fixture

import (
	"fmt"
	"os"
)

type flag struct {
	Name   string
	Hidden bool
}

type flagSet struct{ flags map[string]*flag }

func (s *flagSet) Lookup(name string) *flag { return s.flags[name] }

func render(s *flagSet) string { return fmt.Sprint(len(s.flags)) }

// Each iteration hides a flag for what runs after the loop; the deferred literals put them back
// when the function returns, as meant.
func renderWithoutHidden(s *flagSet) string {
	for _, name := range []string{"verbose", "debug"} {
		f := s.Lookup(name)
		f.Hidden = true
		defer func() { f.Hidden = false }()
	}
	return render(s)
}

// The same with the old value saved first, and an element of a map.
func renderWithLimits(s *flagSet, limits map[string]int) string {
	for _, name := range []string{"a", "b"} {
		old := limits[name]
		limits[name] = 0
		defer func() { limits[name] = old }()
	}
	return render(s)
}

// A deferred literal that also calls something holds more than a value: reported.
func renderAndLog(s *flagSet) string {
	for _, name := range []string{"verbose", "debug"} {
		f := s.Lookup(name)
		f.Hidden = true
		defer func() { f.Hidden = false; fmt.Println("restored", f.Name) }() // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when renderAndLog returns`
	}
	return render(s)
}

// Assigning state the iteration never changed is no restore: reported.
func renderAndMark(s *flagSet, done *bool) string {
	for _, name := range []string{"verbose", "debug"} {
		f := s.Lookup(name)
		defer func() { f.Hidden = false }() // want `the deferred func\(\) \{\.\.\.\}\(\) runs only when renderAndMark returns`
		*done = true
	}
	return render(s)
}

// A resource released in the literal is still held across iterations: reported.
func openAll(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		var closed bool
		closed = false
		defer func() { closed = f.Close() == nil }() // want `runs only when openAll returns`
		_ = closed
	}
}
