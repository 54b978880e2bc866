package p

// Dot imports: a standard-library package (from the API index) and a module package (from
// source) put their exported names in this file's scope.
import (
	. "path"

	. "example.com/calls/q"
)

func dotted() string {
	var s Stack[int]                                  //
	s.Push(1)                                         // calls: (*example.com/calls/q.Stack).Push
	Hook("x")                                         // calls: var Hook
	_ = Map([]int{1}, func(int) string { return "" }) // calls: example.com/calls/q.Map
	return Base(Clean("/a/b"))                        // calls: path.Base | path.Clean
}
