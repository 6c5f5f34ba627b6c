# The candidates zsh's own completion system offers for a command line, as a user pressing Tab
# would get them: an interactive zsh in a pseudo-terminal (zsh/zpty), compinit with the folder
# holding _devenv on fpath, compadd wrapped to print each candidate it adds ("HIT:word" lines
# out, sorted, once each). Exit 1 when the completion did not finish within 60 s (a bound on a
# failure only: compinit and devenv's own run for the profiles may be slow on a loaded machine).
#
# usage: zsh -f zsh-complete.zsh FPATH_DIR "devenv st" BIN_DIR WORKING_DIR
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT='%% '"
zpty -w z "fpath=(${(q)1} \$fpath); path=(${(q)3} \$path)"
zpty -w z 'autoload -U compinit && compinit -u -D'
zpty -w z 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a __hits; builtin compadd -A __hits "$@"; (( $#__hits )) && print -rl -- "" ${(@)__hits/#/HIT:}; builtin compadd "$@"; }'
zpty -w z '__capture_end() { print -r -- "__E""ND__" }; comppostfuncs=(__capture_end)'
zpty -w z "cd ${(q)4}"
zpty -w -n z "$2"$'\t'
out=""
integer deadline=$(( SECONDS + 60 ))
while (( SECONDS < deadline )); do
  if zpty -r -t z chunk; then out+=$chunk; [[ $out == *__END__* ]] && break; else sleep 0.05; fi
done
zpty -d z
print -r -- "$out" | tr -d '\r' | grep '^HIT:' | sed 's/^HIT://' | sort -u
[[ $out == *__END__* ]]
