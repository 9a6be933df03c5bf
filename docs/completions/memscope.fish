function __memscope_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __memscope_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __memscope_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __memscope_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __memscope_parse_tokens -S
    set -l unparsed_tokens (__memscope_tokens -pc)
    switch $unparsed_tokens[1]
    case 'memscope'
        __memscope_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'render'
            __memscope_parse_subcommand -r 1 'format=' 'folded-cost=' 'limit=+' 'suppressions=' 'from=' 'to=' 'thread=' 'wrapper=+' 'no-wrapper-detection' 'o/output=' 'force' 'q/quiet' 'images=' 'all-frames' 'collapse-recursion' 'exclude-module=+' 'include=' 'exclude=' 'min-fraction=' 'no-source' 'no-inference' 'no-ownership' 'ownership' 'ownership-sites=' 'thread-flamegraphs=' 'window-flamegraphs=' 'version' 'h/help'
        case 'record'
            __memscope_parse_subcommand -r 1 'o/output=' 'no-follow-fork' 'frame-pointers' 'zstd' 'guard' 'quarantine=' 'no-scan-on-free' 'scan-every=' 'scan-at-peak' 'no-spaced-scans' 'version' 'h/help'
        case 'summary'
            __memscope_parse_subcommand 1 'format=' 'folded-cost=' 'limit=+' 'suppressions=' 'from=' 'to=' 'thread=' 'wrapper=+' 'no-wrapper-detection' 'json' 'q/quiet' 'version' 'h/help'
        case 'check'
            __memscope_parse_subcommand 1 'format=' 'folded-cost=' 'limit=+' 'suppressions=' 'from=' 'to=' 'thread=' 'wrapper=+' 'no-wrapper-detection' 'max-leaked=' 'max-peak=' 'max-bytes-allocated=' 'max-allocations=' 'max-temporary=' 'max-errors=' 'baseline=' 'max-growth=' 'json' 'version' 'h/help'
        case 'diff'
            __memscope_parse_subcommand 2 'format=' 'folded-cost=' 'limit=+' 'o/output=' 'json' 'force' 'q/quiet' 'version' 'h/help'
        case 'export'
            __memscope_parse_subcommand 1 'csv=' 'format=' 'folded-cost=' 'limit=+' 'suppressions=' 'from=' 'to=' 'thread=' 'wrapper=+' 'no-wrapper-detection' 'version' 'h/help'
        case 'inspect'
            __memscope_parse_subcommand 1 'stage=' 'json' 'no-inference' 'format=' 'folded-cost=' 'limit=+' 'suppressions=' 'from=' 'to=' 'thread=' 'wrapper=+' 'no-wrapper-detection' 'version' 'h/help'
        case 'convert'
            __memscope_parse_subcommand 1 'format=' 'o/output=' 'to=' 'zstd' 'level=' 'force' 'version' 'h/help'
        case 'help'
            __memscope_parse_subcommand -r 1 'version'
        end
    end
end

function __memscope_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __memscope_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __memscope_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __memscope_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__memscope_tokens -p)
    if test -z "$(__memscope_tokens -t)"
        set -l index (count (__memscope_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'memscope' -f
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'render' -d 'Write one offline HTML report of a dump.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'record' -d 'Run a program and record every heap allocation into a .msd dump.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'summary' -d 'Print the headline figures of a dump.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'check' -d 'Check a dump against limits, for CI: exit 0 when every limit holds, 3 when one is exceeded.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'diff' -d 'Compare two dumps: summary deltas, a differential flamegraph and per-site changes.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'export' -d 'Write every table of a dump\'s analysis as CSV files (and the summary as JSON).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'inspect' -d 'Print one pipeline stage\'s output as stable text.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'convert' -d 'Translate a dump between the binary and the JSON Lines form.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope render" -ge 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" suppressions' -l 'suppressions' -d 'Leak suppressions in LeakSanitizer\'s format (leak:PATTERN lines): matching leaks are reported as suppressed.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" from' -l 'from' -d 'Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" to' -l 'to' -d 'Stop at this time (same forms as --from); leaked then means live at this time.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" thread' -l 'thread' -d 'Only blocks allocated by this thread id (and their frees, on any thread).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render"' -l 'wrapper' -d 'A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" no-wrapper-detection' -l 'no-wrapper-detection' -d 'Do not infer allocation wrappers among frames without a symbol.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" o output' -l 'output' -s 'o' -d 'The report to write (a directory with several dumps). Default: memscope-<dump name>.html, or memscope-reports/.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'html\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" force' -l 'force' -d 'Overwrite the report if it exists.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" q quiet' -l 'quiet' -s 'q' -d 'No progress bar, no warnings and no closing message.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" images' -l 'images' -d 'Also write every picture as PNG and SVG into this directory.' -rfa '(__memscope_complete_directories)'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" all-frames' -l 'all-frames' -d 'Show every frame: keep allocator and runtime frames, and the frames above main.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" collapse-recursion' -l 'collapse-recursion' -d 'Merge directly recursive calls of one function into one frame.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render"' -l 'exclude-module' -d 'Hide frames of modules whose path contains this text (repeatable).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" include' -l 'include' -d 'Show only sites with a frame (function or file) matching this regular expression.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" exclude' -l 'exclude' -d 'Leave out sites with a frame (function or file) matching this regular expression.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" min-fraction' -l 'min-fraction' -d 'Fold frames below this share of every cost into one box per caller, e.g. 0.1%. Default: 0.005%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" no-source' -l 'no-source' -d 'Leave source lines out of the report (for confidential code); by default the lines around top sites are embedded when the files are readable.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" no-inference' -l 'no-inference' -d 'Leave out every inferred element: owns and shares edges, and container types recognised from symbols (observed edges stay).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" no-ownership' -l 'no-ownership' -d 'Leave the ownership section out.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" ownership' -l 'ownership' -d 'Build the ownership graph whatever the dump\'s size (by default only for dumps of up to 2,000,000 events: it reads the dump once more).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" ownership-sites' -l 'ownership-sites' -d 'Draw this many allocation sites (those with the most bytes) in the ownership graph. Default: 24.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" thread-flamegraphs' -l 'thread-flamegraphs' -d 'Flamegraphs of each of this many threads alone (those that allocated most bytes), for the page\'s thread selector. Default: 4, whatever the dump\'s size (all views are tallied in one more read, in memory bounded by the live blocks and sites). 0: none.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" window-flamegraphs' -l 'window-flamegraphs' -d 'Flamegraphs of this many equal time slices of the run, and of a slice around the peak, for the page\'s window picker. Default: 10, whatever the dump\'s size. 0: none.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope render" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" o output' -l 'output' -s 'o' -d 'Where to write the dump (default: memscope.PROGRAM.PID.msd).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" no-follow-fork' -l 'no-follow-fork' -d 'Do not record forked children (they run untraced).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" frame-pointers' -l 'frame-pointers' -d 'Walk frame pointers instead of memscope\'s unwinder (DWARF call-frame rules cached per return address, libunwind for the rest): faster, but needs every module built with frame pointers.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" zstd' -l 'zstd' -d 'Compress the dump with zstd.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" guard' -l 'guard' -d 'Put a red zone on both sides of every block; report writes past or before a block (checked at free and at exit).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" quarantine' -l 'quarantine' -d 'Hold up to SIZE bytes of freed blocks back from reuse, filled with a pattern; report writes after free (e.g. 64MiB).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" no-scan-on-free' -l 'no-scan-on-free' -d 'Do not record the pointers held by blocks as they die, nor clear new blocks\' first 4 KiB (the ownership graph then infers more and observes less).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" scan-every' -l 'scan-every' -d 'Also scan the heap for pointers every INTERVAL while the program runs (e.g. 100ms, 2s); scans are spaced further apart when one takes more than a tenth of the interval.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" scan-at-peak' -l 'scan-at-peak' -d 'Also scan the heap for pointers near the peak: whenever the resident set has grown by an eighth since the last such scan, at most every 250 ms.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" no-spaced-scans' -l 'no-spaced-scans' -d 'Do not scan the heap for pointers while the program runs by default (after 256 heap events, then after each gap twice the last: 256, 768, 1792… events).'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope record" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope summary" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" suppressions' -l 'suppressions' -d 'Leak suppressions in LeakSanitizer\'s format (leak:PATTERN lines): matching leaks are reported as suppressed.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" from' -l 'from' -d 'Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" to' -l 'to' -d 'Stop at this time (same forms as --from); leaked then means live at this time.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" thread' -l 'thread' -d 'Only blocks allocated by this thread id (and their frees, on any thread).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary"' -l 'wrapper' -d 'A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" no-wrapper-detection' -l 'no-wrapper-detection' -d 'Do not infer allocation wrappers among frames without a symbol.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" json' -l 'json' -d 'Print one JSON object instead of text.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" q quiet' -l 'quiet' -s 'q' -d 'Do not print warnings to stderr.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope summary" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope check" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" suppressions' -l 'suppressions' -d 'Leak suppressions in LeakSanitizer\'s format (leak:PATTERN lines): matching leaks are reported as suppressed.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" from' -l 'from' -d 'Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" to' -l 'to' -d 'Stop at this time (same forms as --from); leaked then means live at this time.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" thread' -l 'thread' -d 'Only blocks allocated by this thread id (and their frees, on any thread).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check"' -l 'wrapper' -d 'A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" no-wrapper-detection' -l 'no-wrapper-detection' -d 'Do not infer allocation wrappers among frames without a symbol.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-leaked' -l 'max-leaked' -d 'Most bytes leaked (live at the end).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-peak' -l 'max-peak' -d 'Most bytes live at the peak.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-bytes-allocated' -l 'max-bytes-allocated' -d 'Most bytes allocated in all.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-allocations' -l 'max-allocations' -d 'Most allocation calls.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-temporary' -l 'max-temporary' -d 'Most temporary allocations.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-errors' -l 'max-errors' -d 'Most memory errors: double and invalid frees, overflows and writes after free (the last two from record --guard / --quarantine).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" baseline' -l 'baseline' -d 'An earlier dump to compare with (any supported format).' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" max-growth' -l 'max-growth' -d 'Largest growth over the baseline of peak, leaked bytes, bytes allocated and allocation calls, e.g. 10%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" json' -l 'json' -d 'Print one JSON object instead of text.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope diff" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope diff" -eq 2' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" o output' -l 'output' -s 'o' -d 'The report to write. Default: memscope-diff-<base>-<new>.html.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" json' -l 'json' -d 'Print the deltas as one JSON object instead of writing a report.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" force' -l 'force' -d 'Overwrite the report if it exists.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" q quiet' -l 'quiet' -s 'q' -d 'No warnings and no closing message.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" csv' -l 'csv' -d 'The directory to write the CSV files into (created if missing).' -rfa '(__memscope_complete_directories)'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope export" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" suppressions' -l 'suppressions' -d 'Leak suppressions in LeakSanitizer\'s format (leak:PATTERN lines): matching leaks are reported as suppressed.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" from' -l 'from' -d 'Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" to' -l 'to' -d 'Stop at this time (same forms as --from); leaked then means live at this time.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" thread' -l 'thread' -d 'Only blocks allocated by this thread id (and their frees, on any thread).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export"' -l 'wrapper' -d 'A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" no-wrapper-detection' -l 'no-wrapper-detection' -d 'Do not infer allocation wrappers among frames without a symbol.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" stage' -l 'stage' -d 'The stage whose output to print.' -rfka 'parse analyze ownership'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" json' -l 'json' -d 'With --stage ownership: print JSON instead of text.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" no-inference' -l 'no-inference' -d 'With --stage ownership: leave out every inferred edge and type.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope inspect" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" format' -l 'format' -d 'Read the input as this format instead of detecting it by content.' -rfka 'msd jsonl heaptrack massif dhat memscope-rs folded'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" folded-cost' -l 'folded-cost' -d 'What the counts of folded stacks are.' -rfka 'allocations bytes'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect"' -l 'limit' -d 'Raise (or lower) a limit on what an input may hold, as NAME=VALUE; repeatable. Names: records, threads, stacks, frames, strings, ratio, json-depth, massif-snapshots, massif-children, dhat-points (README, Limits).' -rfka 'records= threads= stacks= frames= strings= ratio= json-depth= massif-snapshots= massif-children= dhat-points='
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" suppressions' -l 'suppressions' -d 'Leak suppressions in LeakSanitizer\'s format (leak:PATTERN lines): matching leaks are reported as suppressed.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" from' -l 'from' -d 'Count only from this time: 12.5s, 850ms, 40us, or a percentage of the run such as 25%.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" to' -l 'to' -d 'Stop at this time (same forms as --from); leaked then means live at this time.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" thread' -l 'thread' -d 'Only blocks allocated by this thread id (and their frees, on any thread).' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect"' -l 'wrapper' -d 'A function of your own that wraps the allocator (a regular expression, repeatable): site names go past it.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" no-wrapper-detection' -l 'no-wrapper-detection' -d 'Do not infer allocation wrappers among frames without a symbol.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope inspect" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_positional "memscope convert" -eq 1' -F
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" format' -l 'format' -d 'Read the input as this format instead of detecting it.' -rfka 'msd jsonl'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" o output' -l 'output' -s 'o' -d 'The file to write.' -rF
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" to' -l 'to' -d 'The form to write. Default: jsonl when the output name ends in .jsonl or .jsonl.zst, else msd.' -rfka 'msd jsonl'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" zstd' -l 'zstd' -d 'Compress the output with zstd.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" level' -l 'level' -d 'zstd compression level, 1 to 19.' -rfka ''
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" force' -l 'force' -d 'Overwrite the output if it exists.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" version' -l 'version' -d 'Show the version.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope convert" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'memscope' -n '__memscope_should_offer_completions_for_flags_or_options "memscope help" version' -l 'version' -d 'Show the version.'
