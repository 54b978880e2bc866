package a

import "example.com/b"

var X = b.Y
