/** The keys of the processes in processes/: the dossier's and the co-addressed incoming document's. */
export const PROCESS_KEY = 'ho-so-trinh';
export const INCOMING_PROCESS_KEY = 'van-ban-den-dong-gui';
