/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every refusal of config.json, with its exact message. Case texts use ' for
 * " (readability) and mark with @ the character where the error must point:
 * the expected "config.json:LINE:COL: " prefix is computed from the marker,
 * independently of the locator under test.
 */
#include <errno.h>

#include "spec/spec.h"
#include "tap.h"

struct err_case {
	const char *name;
	const char *text;
	const char *msg; /* after "config.json:L:C: " */
};

#define HEAD  "{'ociVersion':'1.0.0','root':{'path':'r'},"
#define PROC  "'process':{'cwd':'/','args':['sh']}"
#define OK    HEAD PROC
#define NS(x) "'namespaces':[" x "]"

static const struct err_case cases[] = {
    /* syntax, with jansson's words and our position of the offending token */
    {"syntax_token", "{'ociVersion': @tru}", "syntax error: invalid token near 'tru'"},
    {"syntax_multiline", "{\n  'ociVersion': '1',\n  @]\n}",
     "syntax error: string or '}' expected near ']'"},
    {"syntax_duplicate_key", "{'root': {}, \n @'root': {}}",
     "syntax error: duplicate object key near '\"root\"'"},
    {"syntax_eof", "{'ociVersion': ['1'@", "syntax error: ']' expected near end of file"},
    {"syntax_empty", "@", "syntax error: '[' or '{' expected near end of file"},
    {"syntax_trailing", "{} @x", "syntax error: end of file expected near 'x'"},
    {"syntax_nul", "{'a': @'\\u0000'}",
     "syntax error: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'"},
    {"syntax_utf8_column", "{'\xc3\xa9\xc3\xa9': @nul}", "syntax error: invalid token near 'nul'"},
    {"not_an_object", "@['ociVersion']", "expected an object"},
    /* top level */
    {"oci_missing", "@{'root':{'path':'r'}," PROC "}", "ociVersion: missing"},
    {"oci_type", "{'ociVersion':@1}", "ociVersion: expected string"},
    {"root_missing", "@{'ociVersion':'1'," PROC "}", "root: missing"},
    {"root_type", "{'ociVersion':'1','root':@'rootfs'}", "root: expected object"},
    {"root_path_missing", "{'ociVersion':'1','root':@{'readonly':true}}", "root.path: missing"},
    {"root_path_empty", "{'ociVersion':'1','root':{'path':@''}," PROC "}",
     "root.path: must not be empty"},
    {"root_readonly_type", "{'ociVersion':'1','root':{'path':'r','readonly':@'yes'}}",
     "root.readonly: expected boolean"},
    {"process_missing", "@" HEAD "'hostname':'h'}", "process: missing"},
    {"process_type", HEAD "'process':@[]}", "process: expected object"},
    {"hostname_type", OK ",'hostname':@7}", "hostname: expected string"},
    /* process */
    {"args_missing", HEAD "'process':@{'cwd':'/'}}", "process.args: missing"},
    {"args_type", HEAD "'process':{'cwd':'/',\n\t'args':@'sh'}}",
     "process.args: expected array of strings"},
    {"args_element", HEAD "'process':{'cwd':'/','args':['sh',@1]}}",
     "process.args[1]: expected string"},
    {"args_empty", HEAD "'process':{'cwd':'/','args':@[]}}", "process.args: must not be empty"},
    {"args_empty_program", HEAD "'process':{'cwd':'/','args':[@'','x']}}",
     "process.args[0]: empty program name"},
    {"cwd_missing", HEAD "'process':@{'args':['sh']}}", "process.cwd: missing"},
    {"cwd_relative", HEAD "'process':{'args':['sh'],'cwd':@'tmp'}}",
     "process.cwd: must be an absolute path"},
    {"env_no_equals", HEAD "'process':{'args':['sh'],'cwd':'/','env':['A=1',@'B']}}",
     "process.env[1]: expected NAME=value"},
    {"env_empty_name", HEAD "'process':{'args':['sh'],'cwd':'/','env':[@'=1']}}",
     "process.env[0]: expected NAME=value"},
    {"terminal_type", HEAD "'process':{'args':['sh'],'cwd':'/','terminal':@1}}",
     "process.terminal: expected boolean"},
    {"console_height_missing",
     HEAD "'process':{'args':['sh'],'cwd':'/','consoleSize':@{'width':1}}}",
     "process.consoleSize.height: missing"},
    {"console_width_range",
     HEAD "'process':{'args':['sh'],'cwd':'/','consoleSize':{'height':1,'width':@65536}}}",
     "process.consoleSize.width: expected integer in range 0..65535, got 65536"},
    {"uid_negative", HEAD "'process':{'args':['sh'],'cwd':'/','user':{'uid':@-1}}}",
     "process.user.uid: expected integer in range 0..4294967295, got -1"},
    {"uid_real", HEAD "'process':{'args':['sh'],'cwd':'/','user':{'uid':@1.0}}}",
     "process.user.uid: expected integer"},
    {"umask_range", HEAD "'process':{'args':['sh'],'cwd':'/','user':{'umask':@512}}}",
     "process.user.umask: must be at most 0777 (511)"},
    {"gids_element", HEAD "'process':{'args':['sh'],'cwd':'/','user':{'additionalGids':[1,@'2']}}}",
     "process.user.additionalGids[1]: expected integer"},
    {"cap_unknown",
     HEAD
     "'process':{'args':['sh'],'cwd':'/','capabilities':{'bounding':['CAP_KILL',@'CAP_FLY']}}}",
     "process.capabilities.bounding[1]: unknown capability \"CAP_FLY\""},
    {"cap_no_prefix",
     HEAD "'process':{'args':['sh'],'cwd':'/','capabilities':{'ambient':[@'KILL']}}}",
     "process.capabilities.ambient[0]: unknown capability \"KILL\""},
    {"cap_set_type",
     HEAD "'process':{'args':['sh'],'cwd':'/','capabilities':{'effective':@'CAP_KILL'}}}",
     "process.capabilities.effective: expected array of strings"},
    {"rlimit_unknown",
     HEAD
     "'process':{'args':['sh'],'cwd':'/','rlimits':[{'type':@'RLIMIT_FOO','soft':1,'hard':1}]}}",
     "process.rlimits[0].type: unknown resource limit \"RLIMIT_FOO\""},
    {"rlimit_duplicate",
     HEAD "'process':{'args':['sh'],'cwd':'/','rlimits':[\n"
          "  {'type':'RLIMIT_NOFILE','soft':1,'hard':1},\n"
          "  {'type':'RLIMIT_CORE','soft':1,'hard':1},\n"
          "  {'type':@'RLIMIT_NOFILE','soft':2,'hard':2}]}}",
     "process.rlimits[2].type: duplicate RLIMIT_NOFILE (also in rlimits[0])"},
    {"rlimit_soft_above_hard",
     HEAD "'process':{'args':['sh'],'cwd':'/"
          "','rlimits':[@{'type':'RLIMIT_NOFILE','soft':2048,'hard':1024}]}}",
     "process.rlimits[0]: soft limit 2048 exceeds hard limit 1024"},
    {"rlimit_soft_missing",
     HEAD "'process':{'args':['sh'],'cwd':'/','rlimits':[@{'type':'RLIMIT_NOFILE','hard':1024}]}}",
     "process.rlimits[0].soft: missing"},
    {"rlimit_hard_huge",
     HEAD "'process':{'args':['sh'],'cwd':'/"
          "','rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':@18446744073709551616}]}}",
     "process.rlimits[0].hard: expected integer in range 0..18446744073709551615, got a larger "
     "number"},
    {"rlimits_type", HEAD "'process':{'args':['sh'],'cwd':'/','rlimits':@{}}}",
     "process.rlimits: expected array"},
    {"oom_range", HEAD "'process':{'args':['sh'],'cwd':'/','oomScoreAdj':@1001}}",
     "process.oomScoreAdj: must be between -1000 and 1000"},
    {"oom_int32", HEAD "'process':{'args':['sh'],'cwd':'/','oomScoreAdj':@-99999999999999999999}}",
     "process.oomScoreAdj: expected integer in range -2147483648..2147483647, got a larger number"},
    {"sched_policy",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':{'policy':@'SCHED_FAST'}}}",
     "process.scheduler.policy: unknown scheduler policy \"SCHED_FAST\""},
    {"sched_policy_missing", HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':@{'nice':1}}}",
     "process.scheduler.policy: missing"},
    {"sched_nice",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':{'policy':'SCHED_OTHER','nice':@20}}}",
     "process.scheduler.nice: must be between -20 and 19"},
    {"sched_priority_other",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':{'policy':'SCHED_BATCH','priority':@3}}}",
     "process.scheduler.priority: only SCHED_FIFO and SCHED_RR take a priority"},
    {"sched_fifo_no_priority",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':@{'policy':'SCHED_FIFO'}}}",
     "process.scheduler.priority: must be between 1 and 99 for SCHED_FIFO and SCHED_RR"},
    {"sched_flag",
     HEAD "'process':{'args':['sh'],'cwd':'/"
          "','scheduler':{'policy':'SCHED_RR','priority':5,'flags':[@'SCHED_FLAG_X']}}}",
     "process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_X\""},
    {"sched_runtime_not_deadline",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':@{'policy':'SCHED_OTHER','runtime':5}}}",
     "process.scheduler: runtime, deadline and period are for SCHED_DEADLINE only"},
    {"sched_deadline_runtime",
     HEAD "'process':{'args':['sh'],'cwd':'/"
          "','scheduler':{'policy':'SCHED_DEADLINE','runtime':@9,'deadline':8}}}",
     "process.scheduler.runtime: must not exceed the deadline"},
    {"sched_deadline_zero",
     HEAD "'process':{'args':['sh'],'cwd':'/','scheduler':@{'policy':'SCHED_DEADLINE'}}}",
     "process.scheduler.deadline: SCHED_DEADLINE needs a deadline"},
    {"ioprio_class",
     HEAD "'process':{'args':['sh'],'cwd':'/"
          "','ioPriority':{'class':@'IOPRIO_CLASS_NONE','priority':1}}}",
     "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\""},
    {"ioprio_priority",
     HEAD
     "'process':{'args':['sh'],'cwd':'/','ioPriority':{'class':'IOPRIO_CLASS_RT','priority':@8}}}",
     "process.ioPriority.priority: must be between 0 (highest) and 7 (lowest)"},
    {"ioprio_priority_missing",
     HEAD "'process':{'args':['sh'],'cwd':'/','ioPriority':@{'class':'IOPRIO_CLASS_RT'}}}",
     "process.ioPriority.priority: missing"},
    {"affinity_syntax",
     HEAD "'process':{'args':['sh'],'cwd':'/','execCPUAffinity':{'final':@'0-a'}}}",
     "process.execCPUAffinity.final: invalid list \"0-a\" (expected e.g. \"0-3,7\")"},
    {"affinity_range",
     HEAD "'process':{'args':['sh'],'cwd':'/','execCPUAffinity':{'initial':@'3-1'}}}",
     "process.execCPUAffinity.initial: invalid list \"3-1\" (expected e.g. \"0-3,7\")"},
    /* mounts */
    {"mounts_type", OK ",'mounts':@{}}", "mounts: expected array"},
    {"mount_type", OK ",'mounts':[@'/proc']}", "mounts[0]: expected object"},
    {"mount_destination_missing", OK ",'mounts':[{'destination':'/a'},@{'type':'proc'}]}",
     "mounts[1].destination: missing"},
    {"mount_destination_empty", OK ",'mounts':[{'destination':@''}]}",
     "mounts[0].destination: must not be empty"},
    {"mount_option_type",
     OK ",\n'mounts':[{'destination':'/a'},\n  {'destination':'/b','options':['ro',@7]}]}",
     "mounts[1].options[1]: expected string"},
    {"mount_bind_no_source", OK ",'mounts':[@{'destination':'/a','options':['rbind']}]}",
     "mounts[0].source: missing (required for bind mounts)"},
    {"mount_uid_without_gid",
     OK ",'mounts':[@{'destination':'/a','source':'/"
        "b','options':['bind','idmap'],'uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]}",
     "mounts[0]: uidMappings and gidMappings must be given together"},
    {"mount_idmap_no_userns",
     OK ",'mounts':[{'destination':'/a','source':'/b','options':@['bind','idmap']}]}",
     "mounts[0].options: idmap needs uidMappings and gidMappings or a user namespace"},
    {"mount_idmap_and_ridmap",
     OK ",'mounts':[{'destination':'/a','source':'/b','options':@['idmap','rbind','ridmap']}]}",
     "mounts[0].options: idmap and ridmap are mutually exclusive"},
    {"mount_mapping_size",
     OK ",'mounts':[{'destination':'/a','source':'/"
        "b','options':['bind'],'uidMappings':[{'containerID':0,'hostID':1,'size':1}],'gidMappings':"
        "[{'containerID':0,'hostID':1,'size':@0}]}]}",
     "mounts[0].gidMappings[0].size: must be greater than zero"},
    {"mount_mapping_field",
     OK ",'mounts':[{'destination':'/a','uidMappings':[@{'hostID':1,'size':1}]}]}",
     "mounts[0].uidMappings[0].containerID: missing"},
    /* hooks, annotations */
    {"hook_relative", OK ",'hooks':{'poststop':[{'path':'/a'},{'path':@'b'}]}}",
     "hooks.poststop[1].path: must be an absolute path"},
    {"hook_timeout", OK ",'hooks':{'createRuntime':[{'path':'/a','timeout':@0}]}}",
     "hooks.createRuntime[0].timeout: must be greater than zero"},
    {"hook_path_missing", OK ",'hooks':{'prestart':[@{'args':['x']}]}}",
     "hooks.prestart[0].path: missing"},
    {"hooks_kind_type", OK ",'hooks':{'startContainer':@{}}}",
     "hooks.startContainer: expected array"},
    {"annotation_value", OK ",'annotations':{'a.b':'x','c.d':@false}}",
     "annotations[\"c.d\"]: expected string"},
    {"annotation_empty_key", OK ",'annotations':{'':@'x'}}",
     "annotations[\"\"]: annotation keys must not be empty"},
    {"annotations_type", OK ",'annotations':@[]}", "annotations: expected object"},
    /* uts */
    {"hostname_no_uts", OK ",'hostname':@'box','linux':{}}",
     "hostname: unable to set hostname without a private UTS namespace"},
    {"domainname_no_uts", OK ",'domainname':@'example.com'}",
     "domainname: unable to set domainname without a private UTS namespace"},
    /* namespaces and mappings */
    {"ns_unknown", OK ",'linux':{" NS("{'type':'pid'},{'type':@'pidd'}") "}}",
     "linux.namespaces[1].type: unknown namespace type \"pidd\""},
    {"ns_duplicate",
     OK ",'linux':{" NS("{'type':'ipc'},{'type':'uts'},{'type':@'ipc','path':'/x'}") "}}",
     "linux.namespaces[2].type: duplicate namespace \"ipc\""},
    {"ns_path_relative", OK ",'linux':{" NS("{'type':'network','path':@'netns/x'}") "}}",
     "linux.namespaces[0].path: must be an absolute path"},
    {"ns_type_missing", OK ",'linux':{" NS("@{'path':'/x'}") "}}",
     "linux.namespaces[0].type: missing"},
    {"ns_type", OK ",'linux':{'namespaces':@{'type':'pid'}}}", "linux.namespaces: expected array"},
    {"mappings_no_userns", OK ",'linux':{'gidMappings':@[{'containerID':0,'hostID':1,'size':1}]}}",
     "linux.gidMappings: mappings need a user namespace in linux.namespaces"},
    {"userns_no_uid_mappings", OK ",'linux':@{" NS("{'type':'user'}") "}}",
     "linux.uidMappings: missing (a new user namespace needs uid and gid mappings)"},
    {"userns_no_gid_mappings",
     OK
     ",'linux':@{" NS("{'type':'user'}") ",'uidMappings':[{'containerID':0,'hostID':1,'size':1}]}}",
     "linux.gidMappings: missing (a new user namespace needs uid and gid mappings)"},
    {"mapping_overlap",
     OK ",'linux':{" NS(
         "{'type':'user','path':'/proc/1/ns/user'}") ",'uidMappings':[{'containerID':0,'hostID':"
                                                     "1000,'size':10},@{'containerID':100,'hostID':"
                                                     "1005,'size':1}]}}",
     "linux.uidMappings[1]: overlaps mapping [0]"},
    {"mapping_overflow",
     OK ",'linux':{" NS(
         "{'type':'user'}") ",'gidMappings':[{'containerID':0,'hostID':1,'size':1}],'uidMappings':["
                            "@{'containerID':4294967295,'hostID':1,'size':1}]}}",
     "linux.uidMappings[0]: range goes beyond id 4294967294"},
    {"mapping_hostid_type",
     OK ",'linux':{'uidMappings':[{'containerID':0,'hostID':@'1','size':1}]}}",
     "linux.uidMappings[0].hostID: expected integer"},
    {"time_offsets_no_timens", OK ",'linux':{'timeOffsets':@{'monotonic':{'secs':1}}}}",
     "linux.timeOffsets: needs a new time namespace (a \"time\" entry without path in "
     "linux.namespaces)"},
    {"time_offsets_joined_timens",
     OK ",'linux':{" NS(
         "{'type':'time','path':'/proc/1/ns/time'}") ",'timeOffsets':@{'boottime':{'secs':1}}}}",
     "linux.timeOffsets: needs a new time namespace (a \"time\" entry without path in "
     "linux.namespaces)"},
    {"time_offsets_clock",
     OK ",'linux':{" NS("{'type':'time'}") ",'timeOffsets':{'realtime':@{'secs':1}}}}",
     "linux.timeOffsets.realtime: unknown clock (expected monotonic or boottime)"},
    {"time_offsets_nanosecs",
     OK
     ",'linux':{" NS("{'type':'time'}") ",'timeOffsets':{'monotonic':{'nanosecs':@1000000000}}}}",
     "linux.timeOffsets.monotonic.nanosecs: must be less than 1000000000"},
    /* devices */
    {"device_type", OK ",'linux':{'devices':[{'path':'/dev/x','type':@'x','major':1,'minor':1}]}}",
     "linux.devices[0].type: unknown device type \"x\" (expected c, b, u or p)"},
    {"device_relative",
     OK ",'linux':{'devices':[{'path':@'dev/x','type':'c','major':1,'minor':1}]}}",
     "linux.devices[0].path: must be an absolute path"},
    {"device_major_missing",
     OK ",'linux':{'devices':[{'path':'/a','type':'p'},@{'path':'/dev/x','type':'b','minor':1}]}}",
     "linux.devices[1].major: missing (required for type b devices)"},
    {"device_negative",
     OK ",'linux':{'devices':[@{'path':'/dev/x','type':'c','major':-1,'minor':1}]}}",
     "linux.devices[0]: major and minor must be between 0 and 4294967295"},
    {"device_mode",
     OK ",'linux':{'devices':[{'path':'/dev/x','type':'c','major':1,'minor':1,'fileMode':@4096}]}}",
     "linux.devices[0].fileMode: must be a permission mode (at most 07777, written in decimal)"},
    {"netdevice_no_netns", OK ",'linux':{'netDevices':@{'eth0':{}}}}",
     "linux.netDevices: needs a network namespace in linux.namespaces"},
    {"netdevice_name_type",
     OK ",'linux':{" NS("{'type':'network'}") ",'netDevices':{'eth0':{'name':@23}}}}",
     "linux.netDevices.eth0.name: expected string"},
    {"netdevice_bad_name",
     OK ",'linux':{" NS("{'type':'network'}") ",'netDevices':{'eth0':{'name':@'a/b'}}}}",
     "linux.netDevices.eth0.name: invalid interface name"},
    {"netdevice_same_name",
     OK ",'linux':{" NS(
         "{'type':'network'}") ",'netDevices':{'eth0':{'name':'x'},'eth1':@{'name':'x'}}}}",
     "linux.netDevices.eth1: same name in the container as \"eth0\""},
    /* sysctl */
    {"sysctl_host",
     OK ",'linux':{" NS(
         "{'type':'network'}") ",'sysctl':{'net.core.somaxconn':'1','vm.swappiness':@'10'}}}",
     "linux.sysctl[\"vm.swappiness\"]: not a namespaced sysctl, refusing to change it for the "
     "whole host"},
    {"sysctl_net_no_netns", OK ",'linux':{'sysctl':{'net.ipv4.ip_forward':@'1'}}}",
     "linux.sysctl[\"net.ipv4.ip_forward\"]: needs a network namespace in linux.namespaces, or it "
     "would change the host's setting"},
    {"sysctl_ipc_no_ipcns",
     OK ",'linux':{" NS("{'type':'network'}") ",'sysctl':{'fs.mqueue.queues_max':@'1'}}}",
     "linux.sysctl[\"fs.mqueue.queues_max\"]: needs an IPC namespace in linux.namespaces, or it "
     "would change the host's setting"},
    {"sysctl_kernel_other",
     OK ",'linux':{" NS("{'type':'ipc'}") ",'sysctl':{'kernel.shmmax':'1','kernel.pid_max':@'1'}}}",
     "linux.sysctl[\"kernel.pid_max\"]: not a namespaced sysctl, refusing to change it for the "
     "whole host"},
    {"sysctl_hostname_conflict",
     OK ",'hostname':'a','linux':{" NS("{'type':'uts'}") ",'sysctl':{'kernel.hostname':@'b'}}}",
     "linux.sysctl[\"kernel.hostname\"]: conflicts with \"hostname\""},
    {"sysctl_domainname_no_uts", OK ",'linux':{'sysctl':{'kernel.domainname':@'b'}}}",
     "linux.sysctl[\"kernel.domainname\"]: needs a UTS namespace in linux.namespaces, or it would "
     "change the host's setting"},
    {"sysctl_empty_component",
     OK ",'linux':{" NS("{'type':'network'}") ",'sysctl':{'net..x':@'1'}}}",
     "linux.sysctl[\"net..x\"]: invalid sysctl name"},
    {"sysctl_traversal",
     OK ",'linux':{" NS("{'type':'network'}") ",'sysctl':{'net/../kernel/core_pattern':@'|x'}}}",
     "linux.sysctl[\"net/../kernel/core_pattern\"]: invalid sysctl name"},
    {"sysctl_key_escaped", OK ",'linux':{'sysctl':{'a\\\"b':@'1'}}}",
     "linux.sysctl[\"a\\\"b\"]: not a namespaced sysctl, refusing to change it for the whole host"},
    {"sysctl_value_type", OK ",'linux':{'sysctl':{'net.x':@1}}}",
     "linux.sysctl[\"net.x\"]: expected string"},
    /* misc linux */
    {"propagation", OK ",'linux':{'rootfsPropagation':@'rshare'}}",
     "linux.rootfsPropagation: unknown propagation \"rshare\" (expected shared, slave, private or "
     "unbindable, or the r-prefixed forms)"},
    {"personality_domain", OK ",'linux':{'personality':{'domain':@'LINUX64'}}}",
     "linux.personality.domain: unknown domain \"LINUX64\" (expected LINUX or LINUX32)"},
    {"personality_flags",
     OK ",'linux':{'personality':{'domain':'LINUX','flags':[@'ADDR_NO_RANDOMIZE']}}}",
     "linux.personality.flags[0]: unsupported personality flag \"ADDR_NO_RANDOMIZE\""},
    {"masked_relative",
     OK ",'linux':{" NS("{'type':'mount'}") ",'maskedPaths':['/proc/kcore',@'proc/keys']}}",
     "linux.maskedPaths[1]: must be an absolute path"},
    {"readonly_no_mountns", OK ",'linux':{'readonlyPaths':@['/proc/sys']}}",
     "linux.readonlyPaths: unable to restrict sys entries without a private MNT namespace"},
    {"cgroups_path_type", OK ",'linux':{'cgroupsPath':@false}}",
     "linux.cgroupsPath: expected string"},
    /* resources */
    {"res_device_access", OK ",'linux':{'resources':{'devices':[{'allow':true,'access':@'rwx'}]}}}",
     "linux.resources.devices[0].access: expected a combination of r, w and m"},
    {"res_device_access_twice",
     OK ",'linux':{'resources':{'devices':[{'allow':true,'access':@'rr'}]}}}",
     "linux.resources.devices[0].access: expected a combination of r, w and m"},
    {"res_device_type", OK ",'linux':{'resources':{'devices':[{'allow':true,'type':@'p'}]}}}",
     "linux.resources.devices[0].type: unknown device type \"p\" (expected a, c or b)"},
    /* found by fuzz_resources: a major or minor above 32 bits was accepted, and the
     * v2 device program truncated it (4294967297 allowed major 1: /dev/mem) */
    {"res_device_major_32bit",
     OK ",'linux':{'resources':{'devices':[{'allow':true,'type':'c','major':@4294967297}]}}}",
     "linux.resources.devices[0].major: must be a device number or -1 (any)"},
    {"res_device_minor_32bit",
     OK ",'linux':{'resources':{'devices':[{'allow':true,'type':'c','major':1,'minor':@42949672963}"
        "]}}}",
     "linux.resources.devices[0].minor: must be a device number or -1 (any)"},
    {"res_device_allow_missing", OK ",'linux':{'resources':{'devices':[@{'access':'r'}]}}}",
     "linux.resources.devices[0].allow: missing"},
    {"res_memory_swappiness", OK ",'linux':{'resources':{'memory':{'swappiness':@101}}}}",
     "linux.resources.memory.swappiness: must be between 0 and 100"},
    {"res_memory_limit", OK ",'linux':{'resources':{'memory':{'limit':1,'swap':@-2}}}}",
     "linux.resources.memory.swap: must be a number of bytes or -1 (unlimited)"},
    {"res_cpu_burst", OK ",'linux':{'resources':{'cpu':{'quota':100,'burst':@200}}}}",
     "linux.resources.cpu.burst: must not exceed the quota"},
    {"res_cpu_idle", OK ",'linux':{'resources':{'cpu':{'idle':@2}}}}",
     "linux.resources.cpu.idle: must be 0 or 1"},
    {"res_cpu_cpus", OK ",'linux':{'resources':{'cpu':{'cpus':@'0-3,,7'}}}}",
     "linux.resources.cpu.cpus: invalid list \"0-3,,7\" (expected e.g. \"0-3,7\")"},
    {"res_cpu_shares_type", OK ",'linux':{'resources':{'cpu':{'shares':@'1024'}}}}",
     "linux.resources.cpu.shares: expected integer"},
    {"res_blkio_weight_device",
     OK ",'linux':{'resources':{'blockIO':{'weightDevice':[@{'major':8,'minor':0}]}}}}",
     "linux.resources.blockIO.weightDevice[0]: needs weight or leafWeight"},
    {"res_blkio_weight_range", OK ",'linux':{'resources':{'blockIO':{'weight':@70000}}}}",
     "linux.resources.blockIO.weight: expected integer in range 0..65535, got 70000"},
    {"res_blkio_throttle_rate",
     OK ",'linux':{'resources':{'blockIO':{'throttleWriteIOPSDevice':[@{'major':8,'minor':0}]}}}}",
     "linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: missing"},
    {"res_hugepage_size",
     OK ",'linux':{'resources':{'hugepageLimits':[{'limit':1234123,'pageSize':@'64kB'}]}}}",
     "linux.resources.hugepageLimits[0].pageSize: invalid page size \"64kB\" (expected e.g. 64KB, "
     "2MB, 1GB)"},
    {"res_pids", OK ",'linux':{'resources':{'pids':{'limit':@-2}}}}",
     "linux.resources.pids.limit: must be a number of tasks or -1 (unlimited)"},
    {"res_rdma_type",
     OK ",'linux':{'resources':{'rdma':{'mlx5_1':{'hcaHandles':@'not a uint32'}}}}}",
     "linux.resources.rdma.mlx5_1.hcaHandles: expected integer"},
    {"res_rdma_empty", OK ",'linux':{'resources':{'rdma':{'mlx5_1':@{}}}}}",
     "linux.resources.rdma.mlx5_1: needs hcaHandles or hcaObjects"},
    {"res_unified_traversal",
     OK ",'linux':{'resources':{'unified':{'memory.max':'1','../../x':@'1'}}}}",
     "linux.resources.unified[\"../../x\"]: must be a file name of the container's cgroup"},
    {"res_network_classid", OK ",'linux':{'resources':{'network':{'classID':@-1}}}}",
     "linux.resources.network.classID: expected integer in range 0..4294967295, got -1"},
    {"res_network_priority_name",
     OK ",'linux':{'resources':{'network':{'priorities':[@{'priority':1}]}}}}",
     "linux.resources.network.priorities[0].name: missing"},
    /* seccomp */
    {"scmp_default_missing", OK ",'linux':{'seccomp':@{'syscalls':[]}}}",
     "linux.seccomp.defaultAction: missing"},
    {"scmp_action_unknown", OK ",'linux':{'seccomp':{'defaultAction':@'SCMP_ACT_DENY'}}}",
     "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_DENY\""},
    {"scmp_default_notify",
     OK ",'linux':{'seccomp':{'defaultAction':@'SCMP_ACT_NOTIFY','listenerPath':'/s'}}}",
     "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    {"scmp_default_errno",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','defaultErrnoRet':@1}}}",
     "linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
    {"scmp_arch",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86_64',"
        "@'SCMP_ARCH_Z80']}}}",
     "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_Z80\""},
    {"scmp_flag",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','flags':[@'SECCOMP_FILTER_FLAG_NEW_"
        "LISTENER']}}}",
     "linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\""},
    {"scmp_metadata_no_path",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','listenerMetadata':@'x'}}}",
     "linux.seccomp.listenerMetadata: needs listenerPath"},
    {"scmp_names_empty",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':@[],'action':'"
        "SCMP_ACT_ERRNO'}]}}}",
     "linux.seccomp.syscalls[0].names: must not be empty"},
    {"scmp_names_missing",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[@{'action':'SCMP_ACT_"
        "ERRNO'}]}}}",
     "linux.seccomp.syscalls[0].names: missing"},
    {"scmp_errno_with_kill",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['x'],'action':"
        "'SCMP_ACT_KILL','errnoRet':@1}]}}}",
     "linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno"},
    {"scmp_notify_no_listener",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],'"
        "action':@'SCMP_ACT_NOTIFY'}]}}}",
     "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs linux.seccomp.listenerPath"},
    {"scmp_notify_write",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/"
        "s','syscalls':[{'names':['read',@'write'],'action':'SCMP_ACT_NOTIFY'}]}}}",
     "linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for write"},
    {"scmp_arg_index",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['x'],'action':"
        "'SCMP_ACT_LOG','args':[{'index':@6,'value':1,'op':'SCMP_CMP_EQ'}]}]}}}",
     "linux.seccomp.syscalls[0].args[0].index: must be between 0 and 5"},
    {"scmp_arg_op",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['x'],'action':"
        "'SCMP_ACT_TRAP','args':[{'index':0,'value':1,'op':@'SCMP_CMP_IN'}]}]}}}",
     "linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_IN\""},
    {"scmp_arg_value_missing",
     OK ",'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['x'],'action':"
        "'SCMP_ACT_TRAP','args':[@{'index':0,'op':'SCMP_CMP_EQ'}]}]}}}",
     "linux.seccomp.syscalls[0].args[0].value: missing"},
    /* intelRdt, memoryPolicy */
    {"rdt_closid", OK ",'linux':{'intelRdt':{'closID':@'../x'}}}",
     "linux.intelRdt.closID: must be \"/\" or a plain directory name"},
    {"rdt_membw", OK ",'linux':{'intelRdt':{'memBwSchema':@'L3:0=1'}}}",
     "linux.intelRdt.memBwSchema: must start with \"MB:\" and not contain newlines"},
    {"rdt_schemata_newline", OK ",'linux':{'intelRdt':{'schemata':['L3:0=1',@'MB:0=1\\nL2:0=1']}}}",
     "linux.intelRdt.schemata[1]: must not contain newlines"},
    {"mpol_mode", OK ",'linux':{'memoryPolicy':{'mode':@'MPOL_FAST'}}}",
     "linux.memoryPolicy.mode: unknown memory policy mode \"MPOL_FAST\""},
    {"mpol_default_nodes", OK ",'linux':{'memoryPolicy':{'mode':'MPOL_DEFAULT','nodes':@'0'}}}",
     "linux.memoryPolicy.nodes: must be empty for MPOL_DEFAULT and MPOL_LOCAL"},
    {"mpol_bind_no_nodes", OK ",'linux':{'memoryPolicy':@{'mode':'MPOL_BIND'}}}",
     "linux.memoryPolicy.nodes: missing: this mode needs at least one node"},
    {"mpol_flags",
     OK ",'linux':{'memoryPolicy':{'mode':'MPOL_PREFERRED','flags':@['MPOL_F_STATIC_NODES','MPOL_F_"
        "RELATIVE_NODES']}}}",
     "linux.memoryPolicy.flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES are mutually "
     "exclusive"},
    {"mpol_flag_unknown",
     OK ",'linux':{'memoryPolicy':{'mode':'MPOL_LOCAL','flags':[@'MPOL_F_X']}}}",
     "linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_X\""},
    {"mpol_nodes_syntax", OK ",'linux':{'memoryPolicy':{'mode':'MPOL_BIND','nodes':@'x'}}}",
     "linux.memoryPolicy.nodes: invalid list \"x\" (expected e.g. \"0-3,7\")"},
};

/* Replace ' by ", drop the @ marker; return its 1-based line:column. */
static char *prepare(const char *src, unsigned *line, unsigned *col)
{
	char *out = malloc(strlen(src) + 1), *o = out;
	unsigned l = 1, c = 1;

	*line = *col = 0;
	for (const char *s = src; *s; s++) {
		if (*s == '@') {
			*line = l;
			*col = c;
			continue;
		}
		*o++ = *s == '\'' ? '"' : *s;
		if (*s == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			c++;
		}
	}
	*o = '\0';
	return out;
}

static void run_case(const struct err_case *tc)
{
	struct hull_error err = {0};
	struct hull_spec *s = NULL;
	char expected[2048];
	unsigned line, col;
	char *text = prepare(tc->text, &line, &col);
	int r;

	r = hull_spec_load_buffer("config.json", text, strlen(text), &s, &err);
	snprintf(expected, sizeof(expected), "config.json:%u:%u: %s", line, col, tc->msg);
	if (getenv("VERBOSE"))
		fprintf(stderr, "# %s\n", err.msg);
	CHECK(line > 0);
	CHECK_INT(r, -EINVAL);
	CHECK_INT(err.code, EINVAL);
	CHECK_STR(err.msg, expected);
	CHECK(s == NULL);
	free(text);
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(&cases[i]);
		tap_result(cases[i].name);
	}
	return tap_done();
}
