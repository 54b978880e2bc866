// A fixture module for the package loader.
module example.com/basic

go 1.21
