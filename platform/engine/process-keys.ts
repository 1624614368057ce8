/** The keys of the processes in processes/: the dossier's, the co-addressed incoming document's and the assigned task's. */
export const PROCESS_KEY = 'ho-so-trinh';
export const INCOMING_PROCESS_KEY = 'van-ban-den-dong-gui';
export const ASSIGNED_TASK_PROCESS_KEY = 'nhiem-vu-duoc-giao';
