// +build windows
// Package lib: the +build line above is part of the doc comment, so it does not count.
package lib

var legacyDoc = true
