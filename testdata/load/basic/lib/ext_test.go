package lib_test

import (
	"testing"

	"example.com/basic/lib"
)

func TestExt(t *testing.T) { _ = lib.Name() }
