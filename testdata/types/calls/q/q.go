// Package q is imported by p: a module-internal dependency read from source.
package q

// Stack is a generic type with methods.
type Stack[T any] struct{ xs []T }

// Push adds x.
func (s *Stack[T]) Push(x T) { s.xs = append(s.xs, x) } // calls: builtin append

// Len is a value method.
func (s Stack[T]) Len() int { return len(s.xs) } // calls: builtin len

// Map is a generic function.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs)) // calls: builtin make | builtin len
	for _, x := range xs {
		out = append(out, f(x)) // calls: builtin append | var f
	}
	return out
}

// Hook is a package-level func variable.
var Hook = func(string) {}
