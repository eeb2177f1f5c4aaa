from .cli import main

# Guarded: the training process (multiprocessing's spawn) imports the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
