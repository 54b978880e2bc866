package private
